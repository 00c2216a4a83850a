package dev.llmautoscale.simulator.workload;

import dev.llmautoscale.simulator.model.Request;

/** Replays recorded arrivals (held as primitive arrays; the {@link Request} is created when it arrives). */
public final class TraceWorkload implements Workload {

    private final double[] times;
    private final int[] prompts;
    private final int[] outputs;
    private final double duration;
    private final String description;
    private int next;

    /**
     * @param times       arrival times, not decreasing, from 0
     * @param prompts     prompt tokens
     * @param outputs     output tokens
     * @param duration    the run length (at least past the last arrival)
     * @param description for reports
     */
    public TraceWorkload(double[] times, int[] prompts, int[] outputs, double duration, String description) {
        this.times = times;
        this.prompts = prompts;
        this.outputs = outputs;
        this.duration = duration;
        this.description = description;
    }

    @Override
    public Request next(double until) {
        if (next >= times.length || times[next] >= until || times[next] >= duration) {
            return null;
        }
        int i = next++;
        return new Request(i + 1, times[i], prompts[i], outputs[i]);
    }

    @Override
    public double durationSeconds() {
        return duration;
    }

    @Override
    public double spikeStartSeconds() {
        return Double.NaN;
    }

    @Override
    public String describe() {
        return description;
    }

    /** @return arrivals in the trace */
    public int size() {
        return times.length;
    }
}
