package dev.llmautoscale.servlet.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DrainServletTest {

    @Test
    void loopbackAddressesAreRecognised() {
        assertThat(DrainServlet.isLoopback("127.0.0.1")).isTrue();
        assertThat(DrainServlet.isLoopback("127.10.0.3")).isTrue();
        assertThat(DrainServlet.isLoopback("::1")).isTrue();
        assertThat(DrainServlet.isLoopback("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(DrainServlet.isLoopback("[::1]")).isTrue();
        assertThat(DrainServlet.isLoopback("::ffff:127.0.0.1")).isTrue();
        assertThat(DrainServlet.isLoopback("10.0.0.7")).isFalse();
        assertThat(DrainServlet.isLoopback("128.0.0.1")).isFalse();
        assertThat(DrainServlet.isLoopback("fe80::1")).isFalse();
        assertThat(DrainServlet.isLoopback("::ffff:10.0.0.1")).isFalse();
        assertThat(DrainServlet.isLoopback(null)).isFalse();
    }

    @Test
    void scrapesNegotiateOpenMetrics() {
        assertThat(Scrapes.contentType(null)).isEqualTo(Scrapes.TEXT);
        assertThat(Scrapes.contentType("*/*")).isEqualTo(Scrapes.TEXT);
        assertThat(Scrapes.contentType("application/openmetrics-text;version=1.0.0;q=0.5,text/plain;q=0.4"))
                .isEqualTo(Scrapes.OPENMETRICS);
        assertThat(Scrapes.names(null)).isNull();
        assertThat(Scrapes.names(new String[] {" ", "llm_active_requests"})).containsExactly("llm_active_requests");
    }
}
