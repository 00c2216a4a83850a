package dev.llmautoscale.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The request body as the application sees it after a peek: the peeked bytes first, then the rest of the original
 * stream. Blocking and non-blocking ({@link ReadListener}) reads both work; an I/O error met while peeking is
 * thrown once the peeked bytes are consumed, where the application would have met it.
 */
final class ReplayInputStream extends ServletInputStream {

    private final ServletInputStream source;
    private final byte[] replay;
    private final int length;
    private final boolean sourceAtEnd;
    private final @Nullable IOException peekFailure;
    private int pos;

    /**
     * @param source the original stream, positioned after the peeked bytes
     * @param replay the peeked bytes
     * @param length how many of them are valid
     * @param sourceAtEnd whether the peek already met the end of the body
     * @param peekFailure an I/O error the peek met, or {@code null}
     */
    ReplayInputStream(ServletInputStream source, byte[] replay, int length, boolean sourceAtEnd,
            @Nullable IOException peekFailure) {
        this.source = source;
        this.replay = replay;
        this.length = length;
        this.sourceAtEnd = sourceAtEnd;
        this.peekFailure = peekFailure;
    }

    private int afterReplay(byte @Nullable [] b, int off, int len) throws IOException {
        if (peekFailure != null) {
            throw peekFailure;
        }
        if (sourceAtEnd) {
            return -1;
        }
        return b == null ? source.read() : source.read(b, off, len);
    }

    @Override
    public int read() throws IOException {
        if (pos < length) {
            return replay[pos++] & 0xff;
        }
        return afterReplay(null, 0, 0);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int left = length - pos;
        if (left > 0) {
            int n = Math.min(left, len);
            System.arraycopy(replay, pos, b, off, n);
            pos += n;
            return n;
        }
        return afterReplay(b, off, len);
    }

    @Override
    public long skip(long n) throws IOException {
        int left = length - pos;
        if (left > 0) {
            int k = (int) Math.min(left, Math.max(0, n));
            pos += k;
            return k;
        }
        return sourceAtEnd || peekFailure != null ? 0 : source.skip(n);
    }

    @Override
    public int available() throws IOException {
        int left = length - pos;
        if (left > 0) {
            return left;
        }
        return sourceAtEnd || peekFailure != null ? 0 : source.available();
    }

    @Override
    public boolean isFinished() {
        return pos >= length && (sourceAtEnd || peekFailure == null && source.isFinished());
    }

    @Override
    public boolean isReady() {
        return pos < length || sourceAtEnd || source.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        if (pos >= length) {
            source.setReadListener(listener);
            return;
        }
        source.setReadListener(new ReadListener() {
            @Override
            public void onDataAvailable() throws IOException {
                listener.onDataAvailable();
            }

            @Override
            public void onAllDataRead() throws IOException {
                if (pos < length) {
                    listener.onDataAvailable(); // the peeked bytes are still to be read
                }
                listener.onAllDataRead();
            }

            @Override
            public void onError(Throwable t) {
                listener.onError(t);
            }
        });
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
