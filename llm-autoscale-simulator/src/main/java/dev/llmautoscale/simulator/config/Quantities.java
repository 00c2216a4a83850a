package dev.llmautoscale.simulator.config;

/** Kubernetes resource quantities ("500m", "24Gi", "1.5", "2k", "1e3") as plain numbers in base units. */
public final class Quantities {

    private Quantities() {
    }

    /**
     * @param s a quantity
     * @return its value in base units
     * @throws IllegalArgumentException when it is not a quantity
     */
    public static double parse(String s) {
        String t = s.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        String[][] suffixes = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"Ti", "1099511627776"},
            {"Pi", "1125899906842624"}, {"Ei", "1152921504606846976"}, {"m", "0.001"}, {"k", "1000"}, {"M", "1e6"},
            {"G", "1e9"}, {"T", "1e12"}, {"P", "1e15"}, {"E", "1e18"}};
        for (String[] suffix : suffixes) {
            if (t.endsWith(suffix[0]) && t.length() > suffix[0].length()) {
                String number = t.substring(0, t.length() - suffix[0].length());
                return number(number) * Double.parseDouble(suffix[1]);
            }
        }
        return number(t);
    }

    private static double number(String t) {
        try {
            double v = Double.parseDouble(t);
            if (Double.isNaN(v) || Double.isInfinite(v) || t.endsWith("d") || t.endsWith("f") || t.endsWith("D")
                    || t.endsWith("F")) {
                throw new IllegalArgumentException("not a finite number");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a Kubernetes quantity such as 10, 500m, 24Gi");
        }
    }
}
