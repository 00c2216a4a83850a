package dev.llmautoscale.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.nvml.VisibleDevices.Unit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Visibility rules of NVIDIA_VISIBLE_DEVICES and CUDA_VISIBLE_DEVICES, on a made-up machine. */
class VisibleDevicesTest {

    // Four GPUs; GPU 2 is in MIG mode with MIG devices in slots 0 and 3.
    private static final Unit G0 = new Unit(0, -1, "GPU-aaaa0000-0000", "GPU-aaaa0000-0000");
    private static final Unit G1 = new Unit(1, -1, "GPU-bbbb1111-1111", "GPU-bbbb1111-1111");
    private static final Unit M20 = new Unit(2, 0, "MIG-cccc0000-2020", "GPU-cccc2222-2222");
    private static final Unit M23 = new Unit(2, 3, "MIG-cccc3333-2323", "GPU-cccc2222-2222");
    private static final Unit G3 = new Unit(3, -1, "GPU-abcd3333-3333", "GPU-abcd3333-3333");
    private static final List<Unit> ALL = List.of(G0, G1, M20, M23, G3);

    private static List<Unit> select(String nvidia, String cuda) {
        return selection(nvidia, cuda).units();
    }

    private static VisibleDevices.Selection selection(String nvidia, String cuda) {
        Map<String, String> env = new HashMap<>();
        if (nvidia != null) {
            env.put(VisibleDevices.NVIDIA_VARIABLE, nvidia);
        }
        if (cuda != null) {
            env.put(VisibleDevices.CUDA_VARIABLE, cuda);
        }
        return VisibleDevices.select(NvmlEnvironment.of(env), 4, ALL);
    }

    @Test
    void unsetMeansEverything() {
        assertThat(select(null, null)).containsExactlyElementsOf(ALL);
        assertThat(selection(null, null).notes()).isEmpty();
    }

    @Test
    void allMeansEverything() {
        assertThat(select("all", null)).containsExactlyElementsOf(ALL);
        assertThat(select(null, "all")).containsExactlyElementsOf(ALL);
        assertThat(select(" ALL ", "all")).containsExactlyElementsOf(ALL);
    }

    @ParameterizedTest
    @CsvSource(value = {"none", "void", "''", "'  '"})
    void noneVoidAndEmptyHideEverything(String value) {
        assertThat(select(value, null)).isEmpty();
        assertThat(select(null, value)).isEmpty();
        assertThat(selection(value, null).notes()).singleElement().asString().contains("NVIDIA_VISIBLE_DEVICES");
    }

    @Test
    void cudaOrdinalsSelectGpusWithTheirMigDevices() {
        assertThat(select(null, "1")).containsExactly(G1);
        assertThat(select(null, "2,0")).containsExactly(G0, M20, M23);
        assertThat(select(null, " 3 ")).containsExactly(G3);
    }

    @Test
    void cudaStopsAtTheFirstInvalidEntry() {
        assertThat(select(null, "1,-1,0")).containsExactly(G1);
        assertThat(select(null, "-1")).isEmpty();
        assertThat(select(null, "0,7,1")).containsExactly(G0);
        assertThat(select(null, "0,GPU-ffff,1")).containsExactly(G0);
        assertThat(selection(null, "0,7,1").notes()).singleElement().asString().contains("\"7\"");
    }

    @Test
    void cudaUuidsAndUniquePrefixes() {
        assertThat(select(null, "GPU-bbbb1111-1111")).containsExactly(G1);
        assertThat(select(null, "GPU-bbbb")).containsExactly(G1);
        assertThat(select(null, "gpu-abcd")).containsExactly(G3);
        assertThat(select(null, "GPU-cccc2222")).containsExactly(M20, M23);
        assertThat(select(null, "MIG-cccc3333-2323")).containsExactly(M23);
        assertThat(select(null, "MIG-cccc3")).containsExactly(M23);
    }

    @Test
    void anAmbiguousPrefixMatchesNothing() {
        // GPU-a matches GPU-aaaa... and GPU-abcd...
        assertThat(select(null, "GPU-a")).isEmpty();
        assertThat(select(null, "GPU-a,1")).isEmpty();
    }

    @Test
    void nvidiaUuidsAlwaysFilter() {
        assertThat(select("GPU-bbbb1111-1111,MIG-cccc0000-2020", null)).containsExactly(G1, M20);
    }

    @Test
    void nvidiaIndicesFilterWhenNoRuntimeAppliedThem() {
        // NVML sees 4 GPUs, the list names 2: nobody filtered, so the indices are NVML's.
        assertThat(select("1,3", null)).containsExactly(G1, G3);
        assertThat(select("2:3", null)).containsExactly(M23);
        assertThat(select("0,2:0", null)).containsExactly(G0, M20);
    }

    @Test
    void nvidiaIndicesAreAlreadyAppliedInsideAContainer() {
        // A container with NVIDIA_VISIBLE_DEVICES=5 sees one GPU, numbered 0 by NVML.
        Unit only = new Unit(0, -1, "GPU-eeee", "GPU-eeee");
        Map<String, String> env = Map.of(VisibleDevices.NVIDIA_VARIABLE, "5");
        assertThat(VisibleDevices.select(NvmlEnvironment.of(env), 1, List.of(only)).units()).containsExactly(only);
        Map<String, String> two = Map.of(VisibleDevices.NVIDIA_VARIABLE, "4,6");
        Unit second = new Unit(1, -1, "GPU-ffff", "GPU-ffff");
        assertThat(VisibleDevices.select(NvmlEnvironment.of(two), 2, List.of(only, second)).units())
                .containsExactly(only, second);
    }

    @Test
    void cudaOrdinalsCountTheGpusLeftByNvidia() {
        // NVIDIA leaves GPUs 1 and 3: CUDA ordinal 1 is GPU 3.
        assertThat(select("1,3", "1")).containsExactly(G3);
        assertThat(select("GPU-bbbb1111-1111,GPU-abcd3333-3333", "0")).containsExactly(G1);
    }

    @Test
    void nvidiaEntriesThatMatchNothingAreNoted() {
        VisibleDevices.Selection selection = selection("GPU-0000ffff,1", null);
        assertThat(selection.units()).containsExactly(G1);
        assertThat(selection.notes()).singleElement().asString().contains("GPU-0000ffff");
    }

    @Test
    void migLabelsUseGpuColonMig() {
        assertThat(G1.label()).isEqualTo("1");
        assertThat(M23.label()).isEqualTo("2:3");
    }
}
