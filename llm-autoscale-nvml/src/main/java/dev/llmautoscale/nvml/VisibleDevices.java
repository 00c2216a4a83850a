package dev.llmautoscale.nvml;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decides which of the devices NVML enumerates this process may use, from {@code NVIDIA_VISIBLE_DEVICES} (the
 * NVIDIA container runtime's variable) and then {@code CUDA_VISIBLE_DEVICES} (the CUDA runtime's).
 *
 * <p>A unit is what the telemetry reports as one device: a GPU, or, on a GPU in MIG mode, each of its MIG devices.
 * Entries that name a GPU (by index or {@code GPU-} UUID) select the GPU and all its MIG devices; {@code MIG-}
 * UUIDs and {@code <gpu>:<mig>} select one MIG device.
 *
 * <p>{@code NVIDIA_VISIBLE_DEVICES}: unset or {@code all} selects everything; {@code none}, {@code void} or empty
 * select nothing (the runtime gave the container no GPU). In a list, UUIDs always filter; indices are the host's
 * numbering, which the runtime has already applied inside a container (NVML there sees only the injected GPUs,
 * numbered from 0), so index entries filter only when NVML enumerates more GPUs than the list has entries, i.e.
 * when no runtime applied it.
 *
 * <p>{@code CUDA_VISIBLE_DEVICES}: unset or {@code all} selects everything; empty, {@code none}, {@code void} select
 * nothing. In a list, indices are CUDA ordinals: positions among the GPUs left by {@code NVIDIA_VISIBLE_DEVICES},
 * in NVML (PCI bus) order; UUIDs and unique UUID prefixes match as CUDA matches them; and, as in CUDA, the first
 * entry that matches nothing (such as {@code -1}) ends the list.
 */
final class VisibleDevices {

    static final String NVIDIA_VARIABLE = "NVIDIA_VISIBLE_DEVICES";
    static final String CUDA_VARIABLE = "CUDA_VISIBLE_DEVICES";

    private VisibleDevices() {
    }

    /**
     * One reportable device.
     *
     * @param gpu the NVML index of the GPU
     * @param mig the MIG device index on that GPU, or -1 for a whole GPU
     * @param uuid the device's UUID ({@code GPU-...} or {@code MIG-...})
     * @param gpuUuid the UUID of the GPU (equal to {@code uuid} for a whole GPU)
     */
    record Unit(int gpu, int mig, String uuid, String gpuUuid) {

        /** The {@code gpu} label: {@code "0"} for a GPU, {@code "0:1"} for MIG device 1 of GPU 0. */
        String label() {
            return mig < 0 ? Integer.toString(gpu) : gpu + ":" + mig;
        }
    }

    /**
     * The outcome of the selection.
     *
     * @param units the units this process may use, in NVML order
     * @param notes explanations worth logging (entries ignored, why nothing is visible)
     */
    record Selection(List<Unit> units, List<String> notes) {
        Selection {
            units = List.copyOf(units);
            notes = List.copyOf(notes);
        }
    }

    /**
     * Applies both variables.
     *
     * @param environment where to read them
     * @param gpuCount how many GPUs NVML enumerates
     * @param units every unit NVML offers, in NVML order
     * @return the selected units and notes
     */
    static Selection select(NvmlEnvironment environment, int gpuCount, List<Unit> units) {
        List<String> notes = new ArrayList<>();
        List<Unit> afterNvidia = applyNvidia(environment.get(NVIDIA_VARIABLE), gpuCount, units, notes);
        // CUDA ordinals number the GPUs CUDA can see: those left with at least one device.
        List<Integer> ordinals = afterNvidia.stream().map(Unit::gpu).distinct().toList();
        List<Unit> afterCuda = applyCuda(environment.get(CUDA_VARIABLE), ordinals, afterNvidia, notes);
        return new Selection(afterCuda, notes);
    }

    private static List<Unit> applyNvidia(@Nullable String value, int gpuCount, List<Unit> units, List<String> notes) {
        if (value == null || value.trim().equalsIgnoreCase("all")) {
            return units;
        }
        String trimmed = value.trim();
        if (trimmed.isEmpty() || trimmed.equalsIgnoreCase("none") || trimmed.equalsIgnoreCase("void")) {
            notes.add(NVIDIA_VARIABLE + "=\"" + value + "\" gives this container no GPU");
            return List.of();
        }
        List<String> entries = entries(trimmed);
        boolean indicesApply = gpuCount > entries.size();
        Set<Unit> selected = new LinkedHashSet<>();
        for (String entry : entries) {
            if (isUuid(entry)) {
                List<Unit> matches = matchUuid(entry, units);
                if (matches.isEmpty()) {
                    notes.add(NVIDIA_VARIABLE + " entry \"" + entry + "\" matches no device; ignored");
                }
                selected.addAll(matches);
            } else if (!indicesApply) {
                // The container runtime has already injected exactly the listed GPUs; NVML numbers them from 0.
                selected.addAll(units);
            } else {
                List<Unit> matches = matchIndex(entry, units);
                if (matches.isEmpty()) {
                    notes.add(NVIDIA_VARIABLE + " entry \"" + entry + "\" matches no device; ignored");
                }
                selected.addAll(matches);
            }
        }
        return inNvmlOrder(units, selected);
    }

    private static List<Unit> applyCuda(@Nullable String value, List<Integer> gpuOrdinals, List<Unit> units,
            List<String> notes) {
        if (value == null || value.trim().equalsIgnoreCase("all")) {
            return units;
        }
        String trimmed = value.trim();
        if (trimmed.isEmpty() || trimmed.equalsIgnoreCase("none") || trimmed.equalsIgnoreCase("void")) {
            notes.add(CUDA_VARIABLE + "=\"" + value + "\" hides every GPU from this process");
            return List.of();
        }
        Set<Unit> selected = new LinkedHashSet<>();
        for (String entry : entries(trimmed)) {
            List<Unit> matches = isUuid(entry) ? matchUuid(entry, units) : matchOrdinal(entry, gpuOrdinals, units);
            if (matches.isEmpty()) {
                notes.add(CUDA_VARIABLE + " entry \"" + entry
                        + "\" matches no device; like CUDA, it and the entries after it are ignored");
                break;
            }
            selected.addAll(matches);
        }
        return inNvmlOrder(units, selected);
    }

    private static List<String> entries(String value) {
        List<String> entries = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String entry = part.trim();
            if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        return entries;
    }

    private static boolean isUuid(String entry) {
        String upper = entry.toUpperCase(Locale.ROOT);
        return upper.startsWith("GPU-") || upper.startsWith("MIG-");
    }

    /** A GPU UUID (or unique prefix of one) selects the GPU and its MIG devices; a MIG UUID one MIG device. */
    private static List<Unit> matchUuid(String entry, List<Unit> units) {
        String wanted = entry.toUpperCase(Locale.ROOT);
        boolean mig = wanted.startsWith("MIG-");
        Set<String> candidates = new LinkedHashSet<>();
        for (Unit unit : units) {
            String uuid = (mig ? unit.uuid() : unit.gpuUuid()).toUpperCase(Locale.ROOT);
            if (uuid.startsWith(wanted)) {
                candidates.add(uuid);
            }
        }
        if (candidates.size() != 1) {
            // No match, or an ambiguous prefix: CUDA refuses both.
            return List.of();
        }
        String uuid = candidates.iterator().next();
        List<Unit> matches = new ArrayList<>();
        for (Unit unit : units) {
            if ((mig ? unit.uuid() : unit.gpuUuid()).equalsIgnoreCase(uuid)) {
                matches.add(unit);
            }
        }
        return matches;
    }

    /** {@code N} selects GPU N (NVML index); {@code N:M} MIG device M of GPU N. */
    private static List<Unit> matchIndex(String entry, List<Unit> units) {
        int colon = entry.indexOf(':');
        Integer gpu = parse(colon < 0 ? entry : entry.substring(0, colon));
        Integer mig = colon < 0 ? null : parse(entry.substring(colon + 1));
        if (gpu == null || colon >= 0 && mig == null) {
            return List.of();
        }
        List<Unit> matches = new ArrayList<>();
        for (Unit unit : units) {
            if (unit.gpu() == gpu && (mig == null || unit.mig() == mig)) {
                matches.add(unit);
            }
        }
        return matches;
    }

    /** A CUDA ordinal: the position among the GPUs left visible. */
    private static List<Unit> matchOrdinal(String entry, List<Integer> gpuOrdinals, List<Unit> units) {
        Integer ordinal = parse(entry);
        if (ordinal == null || ordinal >= gpuOrdinals.size()) {
            return List.of();
        }
        int gpu = gpuOrdinals.get(ordinal);
        List<Unit> matches = new ArrayList<>();
        for (Unit unit : units) {
            if (unit.gpu() == gpu) {
                matches.add(unit);
            }
        }
        return matches;
    }

    private static @Nullable Integer parse(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty() || trimmed.length() > 6) {
            return null;
        }
        for (int i = 0; i < trimmed.length(); i++) {
            if (!Character.isDigit(trimmed.charAt(i))) {
                return null;
            }
        }
        return Integer.parseInt(trimmed);
    }

    private static List<Unit> inNvmlOrder(List<Unit> units, Set<Unit> selected) {
        List<Unit> ordered = new ArrayList<>();
        for (Unit unit : units) {
            if (selected.contains(unit)) {
                ordered.add(unit);
            }
        }
        return ordered;
    }
}
