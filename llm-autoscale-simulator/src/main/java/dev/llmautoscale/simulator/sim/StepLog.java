package dev.llmautoscale.simulator.sim;

/**
 * One row per simulation step, column by column: the time at the end of the step, requests offered and their
 * outcomes in the step, spec.replicas, pods by phase, and the fleet's queue and in-flight totals.
 */
public final class StepLog {

    /** Column names, in CSV order. */
    public static final String[] COLUMNS = {"t", "offered", "served", "rejected_429", "unavailable_503", "lost",
        "desired", "ready", "loading", "pending", "terminating", "queue_depth", "in_flight", "nodes"};

    final double[] t;
    final int[][] cols;
    int size;

    StepLog(int capacity) {
        t = new double[capacity];
        cols = new int[COLUMNS.length - 1][capacity];
    }

    void add(double time, int... values) {
        t[size] = time;
        for (int i = 0; i < values.length; i++) {
            cols[i][size] = values[i];
        }
        size++;
    }

    /** @return rows */
    public int size() {
        return size;
    }

    /**
     * @param row a row
     * @return the time at its end
     */
    public double time(int row) {
        return t[row];
    }

    /**
     * @param column a column name other than t
     * @param row    a row
     * @return the value
     */
    public int value(String column, int row) {
        for (int i = 1; i < COLUMNS.length; i++) {
            if (COLUMNS[i].equals(column)) {
                return cols[i - 1][row];
            }
        }
        throw new IllegalArgumentException("no column " + column);
    }

    /**
     * @param column a column index from 1 (0 is t)
     * @param row    a row
     * @return the value
     */
    public int value(int column, int row) {
        return cols[column - 1][row];
    }
}
