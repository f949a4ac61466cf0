package io.twinflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard's routes over real HTTP, with a stand-in live source and no warehouse. */
class DashboardServerTest {

    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private DashboardServer server;

    /** What the trade-off source holds: null before the first {@code twinflow tradeoff}. */
    private final AtomicReference<String> tradeoffHtml = new AtomicReference<>();

    @BeforeEach
    void start() {
        LiveSource live = (path, query) -> {
            asked.add(path + " " + query);
            if (path.equals("/v1/alerts")) {
                return new LiveSource.Reply(200, "[]");
            }
            return path.equals("/v1/devices") ? new LiveSource.Reply(200, "{\"devices\":[],\"next\":null}")
                    : new LiveSource.Reply(404, "{\"error\":\"DEVICE_NOT_FOUND\",\"message\":\"no live state\"}");
        };
        ReportSource reports = new ReportSource(Optional.empty(), "no warehouse: pass --workgroup", "telemetry", null, false,
                Clock.systemUTC());
        server = DashboardServer.start(0, live, reports, "test", () -> Optional.ofNullable(tradeoffHtml.get()), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.url().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageAndItsOwnScriptsOnLoopback() throws Exception {
        assertThat(server.url().getHost()).isEqualTo("127.0.0.1");
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("/static/app.js", "/static/charts.js", "/static/app.css").doesNotContain("https://");
        for (String file : List.of("app.js", "charts.js", "app.css", "favicon.svg")) {
            HttpResponse<String> r = get("/static/" + file);
            assertThat(r.statusCode()).as(file).isEqualTo(200);
            assertThat(r.body()).as(file).isNotBlank().doesNotContain("https://");
        }
        assertThat(get("/static/Dashboard.class").statusCode()).isEqualTo(404);
    }

    @Test
    void passesTheLiveRoutesThroughWithTheirStatusAndQuery() throws Exception {
        HttpResponse<String> page = get("/api/v1/devices?limit=5&cursor=sensor%2D0004");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).isEqualTo("{\"devices\":[],\"next\":null}");
        assertThat(asked).containsExactly("/v1/devices {limit=5, cursor=sensor-0004}");
        HttpResponse<String> unknown = get("/api/v1/devices/nobody");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("DEVICE_NOT_FOUND");
    }

    @Test
    void liveUpdatesAreServerSentEventsOfTheViewsSnapshot() throws Exception {
        HttpResponse<Stream<String>> events = http.send(HttpRequest.newBuilder(server.url().resolve("/api/live?view=fleet&limit=20")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(events.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        try (Stream<String> lines = events.body()) {
            assertThat(lines.findFirst()).hasValue("data: {\"fleet\":{\"devices\":[],\"next\":null},\"alerts\":[]}");
        }
        assertThat(asked).contains("/v1/devices {limit=20}");
        assertThat(get("/api/live?view=fleet&limit=500").statusCode()).isEqualTo(400);
    }

    @Test
    void withoutAWarehouseTheReportsSayWhatIsMissing() throws Exception {
        HttpResponse<String> report = get("/api/reports/daily-fleet");
        assertThat(report.statusCode()).isEqualTo(502);
        assertThat(report.body()).contains("no warehouse: pass --workgroup");
        assertThat(get("/api/reports/nonsense").statusCode()).isEqualTo(404);
        assertThat(get("/api/reconcile").body()).isEqualTo("{\"checkedAt\":null}");
    }

    @Test
    void refusesOtherHostNamesAndCrossSitePosts() throws Exception {
        assertThat(raw("GET /api/info HTTP/1.1\r\nHost: attacker.example\r\n\r\n")).startsWith("HTTP/1.1 403");
        assertThat(raw("POST /api/reconcile HTTP/1.1\r\nHost: 127.0.0.1:" + server.url().getPort()
                + "\r\nOrigin: http://attacker.example\r\nContent-Length: 0\r\n\r\n")).startsWith("HTTP/1.1 403");
        assertThat(raw("GET /api/info HTTP/1.1\r\nHost: localhost:" + server.url().getPort() + "\r\n\r\n")).startsWith("HTTP/1.1 200");
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(server.url().resolve("/api/info"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
    }

    /** One request as written, and the status line of its answer (java.net.http will not send another Host). */
    private String raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.url().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void theTradeoffPageServesTheKeptReportAndSaysWhatToRunBeforeThereIsOne() throws Exception {
        assertThat(get("/api/tradeoff").body()).contains("\"available\":false").contains("./twinflow tradeoff");
        HttpResponse<String> none = get(DashboardServer.TRADEOFF_PAGE);
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.body()).contains("NO_TRADEOFF_REPORT");

        tradeoffHtml.set("<!DOCTYPE html><html><body><h1>Batch versus real-time, measured</h1></body></html>");
        assertThat(get("/api/tradeoff").body()).isEqualTo("{\"available\":true}");
        HttpResponse<String> report = get(DashboardServer.TRADEOFF_PAGE);
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(report.body()).isEqualTo(tradeoffHtml.get());
    }

    @Test
    void aPortInUseIsAUserMistakeThatSaysWhatToDo() {
        int taken = server.url().getPort();
        assertThatThrownBy(() -> DashboardServer.start(taken, (p, q) -> null, null, "x", Optional::empty, Clock.systemUTC()))
                .hasMessageContaining("port " + taken).hasMessageContaining("--port 0");
    }
}
