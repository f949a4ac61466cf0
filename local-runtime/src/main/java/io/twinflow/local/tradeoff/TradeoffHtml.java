package io.twinflow.local.tradeoff;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report as one self-contained HTML page: inline SVG charts drawn here (no script, no external
 * file), so it opens anywhere and can be mailed or archived as it is.
 */
public final class TradeoffHtml {

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
    private static final int WIDTH = 720;
    private static final int HEIGHT = 300;
    private static final int PAD = 60;

    private TradeoffHtml() {
    }

    public static String render(TradeoffReport r) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Twinflow tradeoff</title><style>")
                .append("body{font-family:sans-serif;max-width:860px;margin:2em auto;color:#222}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f4f4f4}td.l,th.l{text-align:left}")
                .append("svg text{font-size:11px}.note{color:#666;font-size:90%}</style></head><body>");
        RunFacts f = r.facts();
        h.append("<h1>Batch versus real-time, measured</h1><p>").append(String.format(Locale.ROOT,
                "%,d events at %,.0f events/s asked (%,.0f/s accepted). Prices: %s as of %s (%s).", f.events(), r.ratePerSecond(),
                f.measuredRate(), esc(r.prices().region()), r.prices().asOf(), esc(r.prices().origin()))).append("</p>");

        h.append("<h2>Side by side</h2><table><tr><th class=\"l\"></th><th>real-time</th><th>batch: events table</th>")
                .append("<th>batch: daily summaries</th></tr>");
        h.append(row("freshness p50", TradeoffTable.duration(r.streamingFreshness().p50()), TradeoffTable.duration(r.eventsFreshness().p50()),
                TradeoffTable.duration(r.summaryFreshness().p50())));
        h.append(row("freshness p99", TradeoffTable.duration(r.streamingFreshness().p99()), TradeoffTable.duration(r.eventsFreshness().p99()),
                TradeoffTable.duration(r.summaryFreshness().p99())));
        h.append(row("USD per million events", TradeoffTable.usd(r.streamingUsdPerMillion()), TradeoffTable.usd(r.batchUsdPerMillion()), ""));
        h.append("</table><p class=\"note\">Real-time freshness is measured on this machine; batch freshness is the wait the "
                + "deployed buffers and schedules imply for an event put at any minute of a week, plus the job time measured here.</p>");

        h.append("<h2>Freshness: share of events readable within a time</h2>");
        h.append(cdf(List.of(r.streamingFreshness(), r.eventsFreshness(), r.summaryFreshness()),
                List.of("real-time (DynamoDB)", "batch: events table", "batch: daily summaries")));

        double events = r.atRate().eventsPerMonth();
        h.append("<h2>Cost per component, USD per million events</h2>");
        h.append(bars("real-time", CostModel.Monthly.perMillion(r.atRate().streaming(), events)));
        h.append(bars("batch", CostModel.Monthly.perMillion(r.atRate().batch(), events)));

        h.append("<h2>Cost versus rate, USD per month</h2>");
        h.append(curve(r.curve()));

        h.append("<h2>Projection</h2><table><tr><th>events/s</th><th>real-time $/month</th><th>batch $/month</th><th>both</th>")
                .append("<th>shards needed</th><th>Lambda concurrency</th><th>Glue workers</th><th class=\"l\">limits reached</th></tr>");
        for (Map<String, Object> p : r.projection()) {
            h.append("<tr><td>").append(String.format(Locale.ROOT, "%,.0f", number(p.get("ratePerSecond")))).append("</td><td>")
                    .append(TradeoffTable.usd(number(p.get("streamingUsdPerMonth")))).append("</td><td>")
                    .append(TradeoffTable.usd(number(p.get("batchUsdPerMonth")))).append("</td><td>")
                    .append(TradeoffTable.usd(number(p.get("bothUsdPerMonth")))).append("</td><td>").append(p.get("shardsNeeded"))
                    .append("</td><td>").append(p.get("lambdaConcurrency")).append("</td><td>").append(p.get("glueWorkersNeeded"))
                    .append("</td><td class=\"l\">").append(esc(String.valueOf(p.get("limitsReached")))).append("</td></tr>");
        }
        h.append("</table><ul>");
        for (Map<String, Object> limit : r.limits()) {
            h.append("<li>").append(String.format(Locale.ROOT, "%,.0f events/s: ", number(limit.get("ratePerSecond"))))
                    .append(esc(String.valueOf(limit.get("what")))).append(" <i>(").append(esc(String.valueOf(limit.get("basis"))))
                    .append(")</i></li>");
        }
        h.append("</ul><h2>What each path needs running</h2><table><tr><th class=\"l\">path</th><th class=\"l\">resource</th>")
                .append("<th class=\"l\">runs</th><th class=\"l\">billed</th></tr>");
        for (Map<String, Object> o : r.operations()) {
            h.append("<tr><td class=\"l\">").append(esc(String.valueOf(o.get("path")))).append("</td><td class=\"l\">")
                    .append(esc(String.valueOf(o.get("resource")))).append("</td><td class=\"l\">").append(esc(String.valueOf(o.get("runs"))))
                    .append("</td><td class=\"l\">").append(esc(String.valueOf(o.get("billed")))).append("</td></tr>");
        }
        h.append("</table><h2>What is measured, and what would differ in AWS</h2><ul>");
        for (String note : r.notes()) {
            h.append("<li>").append(esc(note)).append("</li>");
        }
        h.append("</ul></body></html>\n");
        return h.toString();
    }

    private static String row(String label, String a, String b, String c) {
        return "<tr><td class=\"l\">" + esc(label) + "</td><td>" + esc(a) + "</td><td>" + esc(b) + "</td><td>" + esc(c) + "</td></tr>";
    }

    /** Cumulative share of events against time, log scale from 100 ms to 3 days. */
    private static String cdf(List<Freshness.Distribution> series, List<String> names) {
        double lo = Math.log10(100);
        double hi = Math.log10(3 * 86_400_000.0);
        StringBuilder s = svgStart();
        long[] ticks = {100, 1_000, 10_000, 60_000, 600_000, 3_600_000, 86_400_000};
        String[] labels = {"0.1 s", "1 s", "10 s", "1 min", "10 min", "1 h", "1 day"};
        for (int i = 0; i < ticks.length; i++) {
            double x = x((Math.log10(ticks[i]) - lo) / (hi - lo));
            s.append(line(x, PAD / 2.0, x, HEIGHT - PAD, "#eee")).append(text(x, HEIGHT - PAD + 15, labels[i], "middle"));
        }
        for (int p = 0; p <= 100; p += 25) {
            double y = y(p / 100.0);
            s.append(text(PAD - 5, y + 4, p + "%", "end"));
        }
        for (int i = 0; i < series.size(); i++) {
            List<Long> sorted = series.get(i).sortedMs();
            StringBuilder points = new StringBuilder();
            int n = sorted.size();
            int step = Math.max(1, n / 400);
            for (int k = 0; k < n; k += step) {
                double ms = Math.max(100, sorted.get(k));
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x((Math.log10(ms) - lo) / (hi - lo)), y((k + 1.0) / n)));
            }
            if (n > 0) {
                double ms = Math.max(100, sorted.get(n - 1));
                points.append(String.format(Locale.ROOT, "%.1f,%.1f", x((Math.log10(ms) - lo) / (hi - lo)), y(1)));
            }
            s.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(COLOURS[i]).append("\" points=\"").append(points)
                    .append("\"/>");
            s.append(legend(i, names.get(i)));
        }
        return s.append(axes()).append("</svg>").toString();
    }

    /** One horizontal bar per component. */
    private static String bars(String title, Map<String, Double> components) {
        double max = components.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        int rowHeight = 18;
        int height = rowHeight * components.size() + 30;
        StringBuilder s = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + height + "\">");
        s.append(text(0, 14, title + ": " + TradeoffTable.usd(CostModel.Monthly.total(components)) + " per million events", "start"));
        int i = 0;
        for (Map.Entry<String, Double> e : components.entrySet()) {
            double y = 22 + i * rowHeight;
            double w = max == 0 ? 0 : (WIDTH - 320) * e.getValue() / max;
            s.append(text(180, y + 12, e.getKey(), "end"));
            s.append(String.format(Locale.ROOT, "<rect x=\"185\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>", y, w, rowHeight - 4,
                    COLOURS[i % COLOURS.length]));
            s.append(text(190 + w, y + 12, TradeoffTable.usd(e.getValue()), "start"));
            i++;
        }
        return s.append("</svg>").toString();
    }

    /** Monthly USD against events/s, both axes logarithmic. */
    private static String curve(List<Map<String, Object>> points) {
        String[] keys = {"streamingUsdPerMonth", "batchUsdPerMonth", "bothUsdPerMonth"};
        String[] names = {"real-time", "batch", "both"};
        double minUsd = Double.MAX_VALUE;
        double maxUsd = 0;
        for (Map<String, Object> p : points) {
            for (String k : keys) {
                double v = number(p.get(k));
                if (v > 0) {
                    minUsd = Math.min(minUsd, v);
                    maxUsd = Math.max(maxUsd, v);
                }
            }
        }
        double yLo = Math.floor(Math.log10(Math.max(1e-6, minUsd)));
        double yHi = Math.ceil(Math.log10(Math.max(10, maxUsd)));
        double xLo = 0;
        double xHi = 5;
        StringBuilder s = svgStart();
        for (int d = 0; d <= 5; d++) {
            double x = x((d - xLo) / (xHi - xLo));
            s.append(line(x, PAD / 2.0, x, HEIGHT - PAD, "#eee")).append(text(x, HEIGHT - PAD + 15,
                    String.format(Locale.ROOT, "%,.0f/s", Math.pow(10, d)), "middle"));
        }
        for (double d = yLo; d <= yHi; d++) {
            double y = y((d - yLo) / (yHi - yLo));
            s.append(line(PAD, y, WIDTH - 20, y, "#eee")).append(text(PAD - 5, y + 4, TradeoffTable.usd(Math.pow(10, d)), "end"));
        }
        for (int i = 0; i < keys.length; i++) {
            StringBuilder line = new StringBuilder();
            for (Map<String, Object> p : points) {
                double v = Math.max(Math.pow(10, yLo), number(p.get(keys[i])));
                line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x((Math.log10(number(p.get("ratePerSecond"))) - xLo) / (xHi - xLo)),
                        y((Math.log10(v) - yLo) / (yHi - yLo))));
            }
            // "both" is drawn dashed: near the batch line it would hide it.
            s.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(COLOURS[i])
                    .append(i == 2 ? "\" stroke-dasharray=\"6,4" : "").append("\" points=\"").append(line)
                    .append("\"/>").append(legend(i, names[i]));
        }
        return s.append(axes()).append("</svg>").toString();
    }

    private static StringBuilder svgStart() {
        return new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + HEIGHT
                + "\" viewBox=\"0 0 " + WIDTH + " " + HEIGHT + "\">");
    }

    private static String axes() {
        return line(PAD, HEIGHT - PAD, WIDTH - 20, HEIGHT - PAD, "#333") + line(PAD, PAD / 2.0, PAD, HEIGHT - PAD, "#333");
    }

    private static String legend(int i, String name) {
        double y = PAD / 2.0 + 4 + i * 16;
        return line(WIDTH - 200, y, WIDTH - 180, y, COLOURS[i]) + text(WIDTH - 175, y + 4, name, "start");
    }

    private static double x(double fraction) {
        return PAD + fraction * (WIDTH - 20 - PAD);
    }

    private static double y(double fraction) {
        return HEIGHT - PAD - fraction * (HEIGHT - PAD - PAD / 2.0);
    }

    private static String line(double x1, double y1, double x2, double y2, String colour) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", x1, y1, x2, y2, colour);
    }

    private static String text(double x, double y, String text, String anchor) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>", x, y, anchor, esc(text));
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }
}
