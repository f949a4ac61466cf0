package io.twinflow.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.twinflow.core.error.UserMistakeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The dashboard's HTTP server, on loopback only: the page and its scripts and styles (all served from this
 * jar, so it works offline), the live routes of {@link LiveSource} under {@code /api/v1/}, live updates as
 * server-sent events ({@code /api/live}), the warehouse reports and the latest reconciliation.
 *
 * <p>It reads with whatever credentials its sources hold (the user's, against AWS), so it answers only
 * requests addressed to its own loopback origin: another host name (a DNS rebinding page) or a cross-site
 * POST is refused.
 */
public final class DashboardServer implements AutoCloseable {

    /** Open pages that get live updates; each costs one bounded read per second. */
    static final int MAX_LIVE_PAGES = 8;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml");
    /** Where the newest {@code twinflow tradeoff} report is served, as the command wrote it. */
    static final String TRADEOFF_PAGE = "/tradeoff/latest.html";
    private static final Set<String> FILES = Set.of("index.html", "app.js", "charts.js", "app.css", "favicon.svg");

    private final HttpServer server;
    private final ExecutorService threads;
    private final LiveSource live;
    private final ReportSource reports;
    private final String target;
    private final Supplier<Optional<String>> tradeoff;
    private final Clock clock;
    private final Semaphore livePages = new Semaphore(MAX_LIVE_PAGES);
    private volatile boolean closed;

    private DashboardServer(HttpServer server, LiveSource live, ReportSource reports, String target, Supplier<Optional<String>> tradeoff,
                            Clock clock) {
        this.server = server;
        this.live = live;
        this.reports = reports;
        this.target = target;
        this.tradeoff = tradeoff;
        this.clock = clock;
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "twinflow-dashboard");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
    }

    /**
     * Starts serving on 127.0.0.1.
     *
     * @param port   the port, 0 for any free one
     * @param target what the page says it shows, e.g. {@code local} or {@code aws eu-west-1}
     * @param tradeoff the newest {@code twinflow tradeoff} report as a self-contained HTML page; empty before the first run
     */
    public static DashboardServer start(int port, LiveSource live, ReportSource reports, String target, Supplier<Optional<String>> tradeoff,
                                        Clock clock) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (BindException e) {
            throw new UserMistakeException("port " + port + " on 127.0.0.1 is in use (" + e.getMessage()
                    + "): pass another --port, or --port 0 for any free one", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the dashboard's port " + port, e);
        }
        DashboardServer dashboard = new DashboardServer(server, live, reports, target, tradeoff, clock);
        server.start();
        return dashboard;
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8750/}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            route(exchange);
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getRawPath();
            if (!ownOrigin(exchange)) {
                send(exchange, 403, "text/plain; charset=utf-8", "only pages of this dashboard's own address may call it\n");
                return;
            }
            String method = exchange.getRequestMethod();
            boolean post = method.equals("POST") && path.equals("/api/reconcile");
            if (!post && !method.equals("GET")) {
                json(exchange, 405, error("METHOD_NOT_ALLOWED", "GET only, and POST /api/reconcile"));
                return;
            }
            Map<String, String> query = PathSegments.query(exchange.getRequestURI().getRawQuery());
            if (path.equals("/") || path.startsWith("/static/")) {
                file(exchange, path.equals("/") ? "index.html" : path.substring("/static/".length()));
            } else if (path.startsWith("/api/v1/")) {
                LiveSource.Reply reply = live.get(path.substring("/api".length()), query);
                send(exchange, reply.status(), "application/json", reply.json());
            } else if (path.equals("/api/live")) {
                liveUpdates(exchange, query);
            } else if (path.equals("/api/info")) {
                json(exchange, 200, Map.of("target", target));
            } else if (path.startsWith("/api/reports/")) {
                report(exchange, PathSegments.decode(path.substring("/api/reports/".length())));
            } else if (path.equals("/api/reconcile")) {
                reconcile(exchange, post, query);
            } else if (path.equals("/api/tradeoff")) {
                json(exchange, 200, tradeoff.get().isPresent() ? Map.of("available", true)
                        : Map.of("available", false, "message", "no trade-off report yet: run ./twinflow tradeoff"));
            } else if (path.equals(TRADEOFF_PAGE)) {
                tradeoffPage(exchange);
            } else {
                json(exchange, 404, error("NOT_FOUND", "no such page or route: " + path));
            }
        } catch (IOException clientGone) {
            // The page was closed or reloaded mid-answer: nothing left to tell it.
        } catch (RuntimeException e) {
            // A source failed (the warehouse down, missing permissions): the page shows the message.
            try {
                json(exchange, 502, error("SOURCE_FAILED", String.valueOf(e.getMessage())));
            } catch (IOException | RuntimeException answered) {
                // The answer had begun (live updates): the page sees the stream end and reconnects.
            }
        }
    }

    /** The report page as the command wrote it: it holds no script, and the page frames it sandboxed all the same. */
    private void tradeoffPage(HttpExchange exchange) throws IOException {
        Optional<String> html = tradeoff.get();
        if (html.isEmpty()) {
            json(exchange, 404, error("NO_TRADEOFF_REPORT", "no trade-off report yet: run ./twinflow tradeoff"));
            return;
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        send(exchange, 200, "text/html; charset=utf-8", html.get());
    }

    private void report(HttpExchange exchange, String name) throws IOException {
        Map<String, Object> body;
        try {
            body = reports.report(name);
        } catch (IllegalArgumentException unknown) {
            json(exchange, 404, error("UNKNOWN_REPORT", unknown.getMessage()));
            return;
        }
        json(exchange, 200, body);
    }

    private void reconcile(HttpExchange exchange, boolean run, Map<String, String> query) throws IOException {
        if (!run) {
            json(exchange, 200, reports.latestReconcile());
            return;
        }
        Optional<LocalDate> date;
        try {
            date = Optional.ofNullable(query.get("date")).filter(d -> !d.isBlank()).map(LocalDate::parse);
        } catch (DateTimeParseException e) {
            json(exchange, 400, error("BAD_DATE", "date must be YYYY-MM-DD: " + e.getParsedString()));
            return;
        }
        json(exchange, 200, reports.reconcile(date));
    }

    /** Server-sent events: the view's snapshot whenever it changes, read every {@link LiveFeed#TICK}. */
    private void liveUpdates(HttpExchange exchange, Map<String, String> query) throws IOException {
        LiveFeed feed;
        if ("device".equals(query.get("view")) && query.get("deviceId") != null) {
            feed = LiveFeed.device(live, clock::instant, query.get("deviceId"));
        } else {
            int limit;
            try {
                limit = Integer.parseInt(query.getOrDefault("limit", "50"));
            } catch (NumberFormatException e) {
                limit = 0;
            }
            if (limit < 1 || limit > 100) {
                json(exchange, 400, error("BAD_LIMIT", "limit must be 1 to 100"));
                return;
            }
            feed = LiveFeed.fleet(live, clock::instant, limit, query.get("cursor"));
        }
        if (!livePages.tryAcquire()) {
            json(exchange, 503, error("TOO_MANY_LIVE_PAGES", "at most " + MAX_LIVE_PAGES + " pages get live updates: close one"));
            return;
        }
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            String last = null;
            long quietSince = System.nanoTime();
            while (!closed) {
                String snapshot;
                try {
                    snapshot = feed.snapshot();
                } catch (RuntimeException e) {
                    snapshot = "{\"problem\":" + JSON.writeValueAsString(error("SOURCE_FAILED", String.valueOf(e.getMessage()))) + "}";
                }
                if (!snapshot.equals(last)) {
                    out.write(("data: " + snapshot + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    last = snapshot;
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince > HEARTBEAT.toNanos()) {
                    // A comment line: finds a closed page (the write fails) and keeps proxies from timing out.
                    out.write(": still here\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    quietSince = System.nanoTime();
                }
                Thread.sleep(LiveFeed.TICK.toMillis());
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } finally {
            livePages.release();
        }
    }

    private void file(HttpExchange exchange, String name) throws IOException {
        if (!FILES.contains(name)) {
            json(exchange, 404, error("NOT_FOUND", "no such file: " + name));
            return;
        }
        byte[] bytes;
        try (InputStream in = DashboardServer.class.getResourceAsStream("static/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard jar lacks static/" + name);
            }
            bytes = in.readAllBytes();
        }
        exchange.getResponseHeaders().set("Content-Type", TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Host names the page's own address: 127.0.0.1 or localhost with this port; a POST's Origin is that address too. */
    private boolean ownOrigin(HttpExchange exchange) {
        int port = server.getAddress().getPort();
        Set<String> own = Set.of("127.0.0.1:" + port, "localhost:" + port);
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null || !own.contains(host)) {
            return false;
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        return origin == null || own.contains(origin.replaceFirst("^http://", ""));
    }

    private static Map<String, Object> error(String code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", code);
        m.put("message", message);
        return m;
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("dashboard answers are always JSON-serialisable", e);
        }
        send(exchange, status, "application/json", text);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
