package dev.llmautoscale.servlet;

import java.io.PrintWriter;

/**
 * The response writer of a tracked request: reports body writes and flushes. A {@link PrintWriter} swallows I/O
 * errors, so a failed client connection is detected through {@link #checkError()} after each flush.
 */
final class TrackedWriter extends PrintWriter {

    private final PrintWriter writer;
    private final TrackedResponse response;

    TrackedWriter(PrintWriter writer, TrackedResponse response) {
        super(writer, false);
        this.writer = writer;
        this.response = response;
    }

    @Override
    public void write(int c) {
        writer.write(c);
        response.wrote();
    }

    @Override
    public void write(char[] buf, int off, int len) {
        writer.write(buf, off, len);
        if (len > 0) {
            response.wrote();
        }
    }

    @Override
    public void write(char[] buf) {
        write(buf, 0, buf.length);
    }

    @Override
    public void write(String s, int off, int len) {
        writer.write(s, off, len);
        if (len > 0) {
            response.wrote();
        }
    }

    @Override
    public void write(String s) {
        write(s, 0, s.length());
    }

    @Override
    public void println() {
        writer.println();
        response.wrote();
    }

    @Override
    public void flush() {
        writer.flush();
        if (writer.checkError()) {
            response.ioFailed();
        }
        response.flushed();
    }

    @Override
    public void close() {
        writer.close();
        response.flushed();
    }

    @Override
    public boolean checkError() {
        boolean error = writer.checkError();
        if (error) {
            response.ioFailed();
        }
        return error;
    }
}
