package dev.llmautoscale.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback TCP ports for the servers the tests start (Redis, Prometheus). */
public final class FreePort {

    private FreePort() {
    }

    /**
     * @return a loopback port that was free when asked (the caller binds it soon after)
     */
    public static int pick() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
