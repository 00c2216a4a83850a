package dev.llmautoscale.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;

/** The response body stream of a tracked request: reports body writes, flushes and I/O failures. */
final class TrackedOutputStream extends ServletOutputStream {

    private final ServletOutputStream out;
    private final TrackedResponse response;

    TrackedOutputStream(ServletOutputStream out, TrackedResponse response) {
        this.out = out;
        this.response = response;
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            response.ioFailed();
            throw e;
        }
        response.wrote();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            response.ioFailed();
            throw e;
        }
        if (len > 0) {
            response.wrote();
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            response.ioFailed();
            throw e;
        }
        response.flushed();
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
        } catch (IOException e) {
            response.ioFailed();
            throw e;
        }
        response.flushed();
    }

    @Override
    public boolean isReady() {
        return out.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
        out.setWriteListener(new WriteListener() {
            @Override
            public void onWritePossible() throws IOException {
                listener.onWritePossible();
            }

            @Override
            public void onError(Throwable t) {
                if (t instanceof IOException) {
                    response.ioFailed();
                }
                listener.onError(t);
            }
        });
    }
}
