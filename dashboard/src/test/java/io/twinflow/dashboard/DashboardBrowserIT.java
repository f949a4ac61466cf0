package io.twinflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.local.batch.RollupLauncher;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.runtime.EmbeddedRuntime;
import io.twinflow.local.simulate.FleetSimulator;
import io.twinflow.local.simulate.KinesisPublisher;
import io.twinflow.local.simulate.SimulationConfig;
import io.twinflow.local.tradeoff.LatestTradeoff;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The page in a real browser (Debian's headless Chromium through Debian's chromedriver; nothing is
 * downloaded) against the embedded stack: devices appear with their values and change without a reload
 * as new events are processed, a device's charts draw its windows, and after the batch jobs the report
 * charts and the reconciliation render. Screenshots go to target/screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static EmbeddedRuntime runtime;
    private static DynamoDbClient dynamoDb;
    private static KinesisClient kinesis;
    private static DashboardServer dashboard;
    private static ChromeDriver browser;
    private static Path userDataDir;
    private static Path screenshots;
    private static Path stateDir;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("the browser test needs Debian's Chromium: apt-get install chromium chromium-driver (.ci/run installs them)");
        }
        screenshots = Path.of(System.getProperty("twinflow.screenshots", "target/screenshots"));
        Files.createDirectories(screenshots);
        runtime = EmbeddedRuntime.start(PipelineSpec.defaults(), new PrintStream(OutputStream.nullOutputStream()));
        ServiceClients clients = ServiceClients.local(runtime.endpoints());
        dynamoDb = clients.dynamoDb();
        kinesis = clients.kinesis();
        stateDir = Files.createTempDirectory("twinflow-state");
        dashboard = Dashboard.start(runtime.spec(), dynamoDb, Optional.of(runtime.batch().warehouse()), "", 0, "local",
                true, stateDir);

        userDataDir = Files.createTempDirectory("twinflow-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + userDataDir, "--window-size=1366,900");
        // The driver's path is given, so Selenium Manager is never asked to find (or download) one.
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (dashboard != null) {
            dashboard.close();
        }
        if (kinesis != null) {
            kinesis.close();
        }
        if (dynamoDb != null) {
            dynamoDb.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        for (Path dir : new Path[] {userDataDir, stateDir}) {
            if (dir != null) {
                try (var files = Files.walk(dir)) {
                    files.sorted((a, b) -> b.compareTo(a)).map(Path::toFile).forEach(File::delete);
                }
            }
        }
    }

    @Test
    @Order(1)
    void devicesAppearWithTheirValuesAndUpdateWithoutAReload() throws Exception {
        browser.get(dashboard.url().toString());
        WebElement empty = waitFor(By.id("fleet-empty"), Duration.ofSeconds(10));
        assertThat(empty.getText()).contains("twinflow simulate");

        Instant now = Instant.now();
        put("dash-alpha", now, 21.5, 40, 0.87, 52.52, 13.40);
        put("dash-bravo", now, 18.25, 55, 0.42, 48.86, 2.35);
        assertThat(cellText("dash-alpha", "temperature", "21.5", Duration.ofSeconds(15))).isEqualTo("21.5");
        assertThat(cellText("dash-alpha", "battery", "87", Duration.ofSeconds(2))).isEqualTo("87");
        assertThat(cellText("dash-bravo", "humidity", "55", Duration.ofSeconds(2))).isEqualTo("55");
        assertThat(browser.findElements(By.cssSelector("[data-chart=fleet-map] circle.point"))).hasSize(2);

        // A marker on the window: a reload would drop it.
        ((JavascriptExecutor) browser).executeScript("window.twinflowMarker = 42;");
        long sent = System.nanoTime();
        put("dash-alpha", now.plusSeconds(2), 23.25, 41, 0.86, 52.52, 13.40);
        cellText("dash-alpha", "temperature", "23.3", Duration.ofSeconds(15));
        long visibleMs = (System.nanoTime() - sent) / 1_000_000;
        System.out.printf("dashboard: put -> shown on the page in %d ms (record processed, then the next 1 s read)%n", visibleMs);
        assertThat(((JavascriptExecutor) browser).executeScript("return window.twinflowMarker;")).isEqualTo(42L);
        assertThat(cellText("dash-bravo", "temperature", "18.3", Duration.ofSeconds(1))).isEqualTo("18.3");
    }

    @Test
    @Order(2)
    void aFleetFillsTheTableTheMapAndTheAlertFeed() throws Exception {
        SimulationConfig config = new SimulationConfig(16, 400, Duration.ofSeconds(4), 0.02, 0.01, 0.05, 3);
        new FleetSimulator(config).run(new KinesisPublisher(kinesis, runtime.spec().stream().name()), (r, ack, at) -> { },
                (done, total, ledger) -> { });
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(b -> b.findElements(By.cssSelector("#fleet tbody tr")).size() >= 18);
        assertThat(browser.findElements(By.cssSelector("[data-chart=fleet-map] circle.point")).size()).isGreaterThanOrEqualTo(18);
        // The simulator's anomalies fire the default rules (temperature above 50, battery below 0.1).
        waitFor(By.cssSelector("#alert-feed li[data-alert]"), Duration.ofSeconds(15));
        assertThat(read(By.id("tile-alerts"), WebElement::getText)).isNotEqualTo("0");
        browser.manage().window().setSize(new Dimension(1366, 1900));
        screenshot("fleet");
    }

    @Test
    @Order(3)
    void theDeviceViewChartsItsWindows() throws Exception {
        // The fleet table is redrawn as updates arrive: go by the link's address rather than clicking it.
        String link = read(By.linkText("dash-alpha"), e -> e.getAttribute("href"));
        assertThat(link).endsWith("#/device/dash-alpha");
        browser.get(link);
        waitFor(By.cssSelector("[data-chart=metric-temperature] path.series"), Duration.ofSeconds(10));
        assertThat(read(By.id("device-title"), WebElement::getText)).isEqualTo("dash-alpha");
        assertThat(read(By.cssSelector("#device-tiles [data-metric=temperature] .value"), WebElement::getText)).startsWith("23.3");
        for (String chart : List.of("events-per-minute", "metric-temperature", "metric-humidity", "metric-battery")) {
            assertThat(browser.findElements(By.cssSelector("[data-chart=" + chart + "] circle.point, [data-chart=" + chart + "] path.series")))
                    .as(chart).isNotEmpty();
        }
        // The simulated devices have minutes of history: their charts draw lines.
        browser.manage().window().setSize(new Dimension(1366, 1250));
        browser.get(dashboard.url() + "#/device/sensor-0001");
        waitFor(By.cssSelector("[data-chart=metric-temperature] path.series"), Duration.ofSeconds(10));
        assertThat(labelsOutsideTheirChart()).isEmpty();
        screenshot("device");
        // Whatever the data, a time label on a tick at either end of the axis stays inside the chart: here the first point
        // is on a tick and the last one 10 s past one, so both end labels sit on the chart's edges.
        ((JavascriptExecutor) browser).executeScript("""
                const box = document.createElement('div');
                document.body.appendChild(box);
                const t0 = Date.parse('2026-11-28T12:00:00Z');
                Charts.timeSeries(box, 'edge-labels', [{name: 'v', color: '#000',
                    points: [{t: t0, v: 1}, {t: t0 + 900e3, v: 2}, {t: t0 + 1810e3, v: 3}]}], {});""");
        assertThat(browser.findElements(By.cssSelector("[data-chart=edge-labels] text"))).extracting(WebElement::getText)
                .contains("12:00", "12:30");
        // The longest device id the decoder accepts, as a row label: shortened to fit, whole in its title.
        String longest = "d".repeat(60) + "-" + "e".repeat(67);
        ((JavascriptExecutor) browser).executeScript("""
                const box = document.createElement('div');
                document.body.appendChild(box);
                Charts.rows(box, 'long-labels', [{label: arguments[0], v: 2}, {label: 'short-1', v: 1}], {});""", longest);
        assertThat(browser.findElement(By.cssSelector("[data-chart=long-labels] text title")).getAttribute("textContent")).isEqualTo(longest);
        assertThat(labelsOutsideTheirChart()).isEmpty();
    }

    @Test
    @Order(4)
    void afterTheBatchJobsTheReportChartsAndTheReconciliationRender() throws Exception {
        runtime.archiver().close(); // flush the raw archive, as the demo does
        assertThat(runtime.batch().load(Optional.empty(), outcome -> { }).failedKeys()).isEmpty();
        List<LocalDate> days = new ArrayList<>();
        for (List<Object> row : runtime.batch().warehouse().query("SELECT DISTINCT dt FROM telemetry.events ORDER BY dt").rows()) {
            days.add(LocalDate.parse(row.get(0).toString()));
        }
        Path log = Files.createTempFile("rollup", ".log");
        for (RollupLauncher.Result r : runtime.batch().rollup(days, log)) {
            assertThat(r.succeeded()).as("rollup of %s, log %s", r.date(), log).isTrue();
        }

        browser.manage().window().setSize(new Dimension(1366, 2600));
        browser.get(dashboard.url() + "#/reports");
        for (String report : List.of("daily-fleet", "battery-trend", "top-anomalies", "device-health")) {
            waitFor(By.cssSelector("[data-chart=" + report + "]"), Duration.ofSeconds(30));
            assertThat(browser.findElements(By.cssSelector("[data-chart=" + report + "] rect.bar"))).as(report).isNotEmpty();
            assertThat(browser.findElements(By.cssSelector("table[data-report=" + report + "] tbody tr"))).as(report).isNotEmpty();
        }
        WebElement verdict = waitFor(By.cssSelector("[data-verdict]"), Duration.ofSeconds(30));
        assertThat(verdict.getAttribute("data-verdict")).isEqualTo("clean");
        assertThat(verdict.getText()).contains("They agree").contains(days.get(days.size() - 1).toString());
        assertThat(labelsOutsideTheirChart()).isEmpty();
        screenshot("reports");
    }

    @Test
    @Order(5)
    void checkingAgainAfterTheSummaryDriftedShowsTheDriftingDevice() throws Exception {
        String day = browser.findElement(By.cssSelector("[data-verdict]")).getText().replaceAll("(?s).*?(\\d{4}-\\d\\d-\\d\\d).*", "$1");
        var pg = runtime.endpoints().postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
            assertThat(c.createStatement().executeUpdate("UPDATE telemetry.device_daily_summary SET event_count = event_count + 1"
                    + " WHERE dt = DATE '" + day + "' AND device_id = 'dash-alpha'")).isEqualTo(1);
        }
        browser.findElement(By.id("reconcile-run")).click();
        WebElement drift = waitFor(By.cssSelector("[data-verdict=drift]"), Duration.ofSeconds(30));
        assertThat(drift.getText()).contains("1 value drifts").contains(day);
        List<WebElement> row = browser.findElements(By.cssSelector("#reconcile-body tbody tr td"));
        assertThat(row).extracting(WebElement::getText).startsWith("dash-alpha", "(events)", "events");
    }

    @Test
    @Order(6)
    void theTradeoffPageSaysWhatToRunThenFramesTheNewestReport() throws Exception {
        browser.get(dashboard.url() + "#/tradeoff");
        WebElement empty = waitFor(By.cssSelector("#tradeoff-body .empty"), Duration.ofSeconds(30));
        assertThat(empty.getText()).contains("./twinflow tradeoff");

        // What `twinflow tradeoff` keeps after a run, in the state directory the dashboard was given.
        Path kept = new LatestTradeoff(stateDir).htmlFile();
        Files.createDirectories(kept.getParent());
        Files.writeString(kept, "<!DOCTYPE html><html><body><h1>Batch versus real-time, measured</h1><table><tr><td>$0.49</td></tr>"
                + "</table></body></html>");
        browser.navigate().refresh();
        WebElement frame = waitFor(By.id("tradeoff-report"), Duration.ofSeconds(30));
        browser.switchTo().frame(frame);
        try {
            assertThat(waitFor(By.tagName("h1"), Duration.ofSeconds(30)).getText()).isEqualTo("Batch versus real-time, measured");
        } finally {
            browser.switchTo().defaultContent();
        }
    }

    private void put(String device, Instant ts, double temperature, double humidity, double battery, double lat, double lon) {
        String event = String.format("{\"schemaVersion\":1,\"eventId\":\"%s\",\"deviceId\":\"%s\",\"ts\":\"%s\","
                + "\"metrics\":{\"temperature\":%s,\"humidity\":%s,\"battery\":%s},\"location\":{\"lat\":%s,\"lon\":%s}}",
                UUID.randomUUID(), device, ts, temperature, humidity, battery, lat, lon);
        kinesis.putRecord(b -> b.streamName(runtime.spec().stream().name()).partitionKey(device).data(SdkBytes.fromUtf8String(event)));
    }

    /**
     * What {@code what} reads from the element {@code by} finds. The live views redraw as updates arrive, so an
     * element found a moment ago may be gone before it is read: each try finds it anew.
     */
    private static String read(By by, Function<WebElement, String> what) {
        return new WebDriverWait(browser, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
                .until(b -> what.apply(b.findElement(by)));
    }

    /** The device row's metric cell once it shows {@code expected}. */
    private static String cellText(String device, String metric, String expected, Duration timeout) {
        By cell = By.cssSelector("tr[data-device='" + device + "'] td[data-metric='" + metric + "']");
        // A live update re-renders the table: a cell found a moment ago may be gone, so each look finds it anew.
        return new WebDriverWait(browser, timeout).ignoring(StaleElementReferenceException.class)
                .until(b -> b.findElements(cell).stream().map(WebElement::getText).filter(expected::equals).findFirst().orElse(null));
    }

    private static WebElement waitFor(By by, Duration timeout) {
        return new WebDriverWait(browser, timeout).until(b -> b.findElements(by).stream().findFirst().orElse(null));
    }

    /** Each text of a chart on the page whose box runs past its chart's view box (drawn clipped), as chart: text. */
    @SuppressWarnings("unchecked")
    private static List<String> labelsOutsideTheirChart() {
        return (List<String>) ((JavascriptExecutor) browser).executeScript("""
                const out = [];
                for (const svg of document.querySelectorAll('[data-chart] svg')) {
                  const v = svg.viewBox.baseVal;
                  for (const t of svg.querySelectorAll('text')) {
                    const b = t.getBBox();
                    if (b.x < v.x - 0.5 || b.y < v.y - 0.5 || b.x + b.width > v.x + v.width + 0.5 || b.y + b.height > v.y + v.height + 0.5) {
                      out.push(svg.parentNode.dataset.chart + ': ' + t.textContent);
                    }
                  }
                }
                return out;""");
    }

    private static void screenshot(String name) throws Exception {
        Path png = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, screenshots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
