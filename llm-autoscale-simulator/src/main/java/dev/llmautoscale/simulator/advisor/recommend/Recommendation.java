package dev.llmautoscale.simulator.advisor.recommend;

import dev.llmautoscale.simulator.sim.SimulationResult;
import java.util.List;

/**
 * What {@code recommend} found.
 *
 * @param start       the starting config's run
 * @param best        the recommended config's run
 * @param yaml        the recommended autoscaler, ready to apply
 * @param knobs       its knobs
 * @param runs        simulations run (the starting config included)
 * @param startMisses what the starting config misses of the SLO (empty: it meets it)
 * @param bestMisses  what the recommended config misses (empty: it meets the SLO)
 */
public record Recommendation(SimulationResult start, SimulationResult best, String yaml, Knobs knobs, int runs,
                             List<String> startMisses, List<String> bestMisses) {
}
