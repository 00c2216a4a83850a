package dev.llmautoscale.servlet.testing;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.servlet.InferenceTrackingFilter;
import dev.llmautoscale.servlet.LlmAutoscaleInitializer;
import dev.llmautoscale.servlet.LlmAutoscaleServlets;
import dev.llmautoscale.servlet.ServletInstallation;
import dev.llmautoscale.servlet.ServletSettings;
import dev.llmautoscale.settings.SettingsSource;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small inference server used by the container tests, registered by a {@link ServletContainerInitializer} that
 * then runs the library's own {@link LlmAutoscaleInitializer}, as a container would.
 *
 * <ul>
 *   <li>{@code POST /v1/chat/completions} (also {@code /untracked/chat} and {@code /v2/models/*}): reads the whole
 *       body ({@code X-Test-Read}: {@code stream}, {@code reader} or non-blocking {@code async}) and answers its
 *       SHA-256 and length; {@code X-Test-Hold: true} waits at the {@link Gate}; {@code X-Test-Status} sets the
 *       status; {@code X-Test-Throw: true} throws; {@code X-Test-Tokens: p,c} sets the token headers,
 *       {@code X-Test-Trailer-Tokens: p,c} the token trailers.</li>
 *   <li>{@code GET /v1/completions?events=N&gapMs=M}: Server-Sent Events from an asynchronous request
 *       ({@code mode=until-disconnect} writes until the client is gone; {@code mode=timeout} never completes).</li>
 *   <li>{@code GET|POST /v1/embeddings}: answers {@code ok}.</li>
 * </ul>
 */
public final class TestApp implements ServletContainerInitializer {

    private final Map<String, String> params;
    private final LlmAutoscale autoscale;
    private final Gate gate = new Gate();
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-app-worker");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger curlPolls = new AtomicInteger();
    private volatile ServletContext context;
    private volatile ServletInstallation installation;

    /**
     * @param params context init parameters (the library's {@code llm.autoscale.*} settings)
     * @param autoscale the application's instance, registered by code; {@code null} to let the library's
     *     initializer build one (it needs {@code llm.autoscale.servlet.auto-register=true} in {@code params})
     */
    public TestApp(Map<String, String> params, LlmAutoscale autoscale) {
        this.params = Map.copyOf(params);
        this.autoscale = autoscale;
    }

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext ctx) throws ServletException {
        this.context = ctx;
        params.forEach(ctx::setInitParameter);
        ServletRegistration.Dynamic chat = ctx.addServlet("chat", new ChatServlet());
        chat.setAsyncSupported(true);
        chat.addMapping("/v1/chat/completions", "/untracked/chat", "/v2/models/*");
        ServletRegistration.Dynamic stream = ctx.addServlet("stream", new StreamServlet());
        stream.setAsyncSupported(true);
        stream.addMapping("/v1/completions");
        ctx.addServlet("embeddings", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                resp.getWriter().write("ok");
            }
        }).addMapping("/v1/embeddings");
        Filter countCurl = (req, res, chain) -> {
            String agent = ((HttpServletRequest) req).getHeader("User-Agent");
            if (agent != null && agent.startsWith("curl/")) {
                curlPolls.incrementAndGet();
            }
            chain.doFilter(req, res);
        };
        ctx.addFilter("countCurl", countCurl).addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true,
                "/active_requests");
        if (autoscale != null) {
            // the application's own instance, registered by code with the keys read from the same parameters
            installation = LlmAutoscaleServlets.register(ctx, autoscale,
                    ServletSettings.read(SettingsSource.of(params)));
        } else {
            new LlmAutoscaleInitializer().onStartup(classes, ctx); // zero-code, as a container would run it
        }
    }

    /** @return the gate that holds requests sent with {@code X-Test-Hold: true} */
    public Gate gate() {
        return gate;
    }

    /** @return how many times curl polled {@code /active_requests} */
    public int curlPolls() {
        return curlPolls.get();
    }

    /** @return what the library installed: by code, or published by the initializer */
    public ServletInstallation installation() {
        return installation != null ? installation
                : (ServletInstallation) context.getAttribute(LlmAutoscaleInitializer.INSTALLATION_ATTRIBUTE);
    }

    /** @return the instance in use: the application's, or the one the initializer built and published */
    public LlmAutoscale autoscale() {
        return autoscale != null ? autoscale
                : (LlmAutoscale) context.getAttribute(LlmAutoscaleInitializer.AUTOSCALE_ATTRIBUTE);
    }

    /** @return the servlet context, once started */
    public ServletContext context() {
        return context;
    }

    /** Opens the gate and stops the worker threads. */
    public void shutdown() throws InterruptedException {
        gate.open();
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }

    static String sha256(byte[] data, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, 0, len);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private final class ChatServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String read = req.getHeader("X-Test-Read");
            if ("async".equals(read)) {
                readAsync(req);
                return;
            }
            MessageDigest md = digest();
            long length = 0;
            if ("reader".equals(read)) {
                BufferedReader reader = req.getReader();
                StringBuilder text = new StringBuilder();
                char[] buf = new char[8192];
                int n;
                while ((n = reader.read(buf)) >= 0) {
                    text.append(buf, 0, n);
                }
                byte[] utf8 = text.toString().getBytes(StandardCharsets.UTF_8);
                md.update(utf8);
                length = text.length();
            } else {
                InputStream in = req.getInputStream();
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    md.update(buf, 0, n);
                    length += n;
                }
            }
            respond(req, resp, HexFormat.of().formatHex(md.digest()), length);
        }

        private void readAsync(HttpServletRequest req) throws IOException {
            AsyncContext async = req.startAsync();
            async.setTimeout(60_000);
            ServletInputStream in = req.getInputStream();
            MessageDigest md = digest();
            long[] length = {0};
            in.setReadListener(new ReadListener() {
                private final byte[] buf = new byte[8192];

                @Override
                public void onDataAvailable() throws IOException {
                    while (in.isReady() && !in.isFinished()) {
                        int n = in.read(buf);
                        if (n < 0) {
                            break;
                        }
                        md.update(buf, 0, n);
                        length[0] += n;
                    }
                }

                @Override
                public void onAllDataRead() {
                    workers.execute(() -> {
                        try {
                            respond((HttpServletRequest) async.getRequest(), (HttpServletResponse) async.getResponse(),
                                    HexFormat.of().formatHex(md.digest()), length[0]);
                        } catch (IOException e) {
                            // the client went away
                        } finally {
                            async.complete();
                        }
                    });
                }

                @Override
                public void onError(Throwable t) {
                    async.complete();
                }
            });
        }

        private void respond(HttpServletRequest req, HttpServletResponse resp, String sha, long length)
                throws IOException {
            if ("true".equals(req.getHeader("X-Test-Hold"))) {
                gate.pass();
            }
            if ("true".equals(req.getHeader("X-Test-Throw"))) {
                throw new IllegalStateException("the inference engine failed (test)");
            }
            String tokens = req.getHeader("X-Test-Tokens");
            if (tokens != null) {
                String[] pc = tokens.split(",");
                resp.setHeader(InferenceTrackingFilter.PROMPT_TOKENS_HEADER, pc[0]);
                resp.setIntHeader(InferenceTrackingFilter.COMPLETION_TOKENS_HEADER, Integer.parseInt(pc[1]));
            }
            String trailerTokens = req.getHeader("X-Test-Trailer-Tokens");
            if (trailerTokens != null) {
                String[] pc = trailerTokens.split(",");
                resp.setTrailerFields(() -> Map.of(InferenceTrackingFilter.PROMPT_TOKENS_HEADER, pc[0],
                        InferenceTrackingFilter.COMPLETION_TOKENS_HEADER, pc[1]));
            }
            String status = req.getHeader("X-Test-Status");
            resp.setStatus(status == null ? 200 : Integer.parseInt(status));
            String model = InferenceTrackingFilter.span(req).map(s -> s.model()).orElse("untracked");
            resp.setContentType("application/json");
            resp.getOutputStream().write(("{\"sha256\":\"" + sha + "\",\"length\":" + length + ",\"model\":\""
                    + model + "\"}").getBytes(StandardCharsets.UTF_8));
        }
    }

    private final class StreamServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
            String mode = req.getParameter("mode") == null ? "normal" : req.getParameter("mode");
            int events = req.getParameter("events") == null ? 3 : Integer.parseInt(req.getParameter("events"));
            long gapMs = req.getParameter("gapMs") == null ? 50 : Long.parseLong(req.getParameter("gapMs"));
            AsyncContext async = req.startAsync(); // no-argument form: the tracked response must still be used
            if (mode.equals("timeout")) {
                async.setTimeout(300);
                return;
            }
            async.setTimeout(60_000);
            resp.setContentType("text/event-stream");
            resp.setCharacterEncoding("UTF-8");
            workers.execute(() -> {
                try {
                    PrintWriter out = async.getResponse().getWriter();
                    if (mode.equals("until-disconnect")) {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                        int i = 0;
                        while (System.nanoTime() < deadline) {
                            out.write("data: token-" + i++ + "\n\n");
                            out.flush();
                            if (out.checkError()) {
                                break; // the client went away
                            }
                            Thread.sleep(20);
                        }
                    } else {
                        for (int i = 0; i < events; i++) {
                            out.write("data: token-" + i + "\n\n");
                            out.flush();
                            Thread.sleep(gapMs);
                        }
                        out.write("data: [DONE]\n\n");
                        async.getRequest().setAttribute(InferenceTrackingFilter.PROMPT_TOKENS_ATTRIBUTE, 11);
                        async.getRequest().setAttribute(InferenceTrackingFilter.COMPLETION_TOKENS_ATTRIBUTE,
                                (long) events);
                    }
                } catch (IOException | InterruptedException | RuntimeException e) {
                    // the client went away, or the test ended
                } finally {
                    async.complete();
                }
            });
        }
    }
}
