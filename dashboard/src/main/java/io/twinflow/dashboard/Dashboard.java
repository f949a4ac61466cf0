package io.twinflow.dashboard;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.live.LiveStateReader;
import io.twinflow.live.api.LiveApi;
import io.twinflow.local.tradeoff.LatestTradeoff;
import io.twinflow.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Puts a dashboard together from the pipeline's tables and warehouse, wherever they are. */
public final class Dashboard {

    /** The port {@code twinflow dashboard} listens on unless told otherwise. */
    public static final int DEFAULT_PORT = 8750;

    private Dashboard() {
    }

    /**
     * Starts a dashboard on 127.0.0.1.
     *
     * @param dynamoDb      the live tables' client; the caller closes it after the server
     * @param warehouse     the warehouse the reports and reconciliation query; empty where none is reachable
     * @param missingWarehouse what the reports say without one: why, and how to fix it
     * @param port          0 for any free port
     * @param target        what the page says it shows, e.g. {@code local}
     * @param autoReconcile reconcile the newest rolled-up day when the page first asks (cheap on a local fleet)
     * @param stateDir      the CLI's state directory ({@code Endpoints.stateDir()}): its newest {@code twinflow tradeoff}
     *                      report is the trade-off page
     */
    public static DashboardServer start(PipelineSpec spec, DynamoDbClient dynamoDb, Optional<Warehouse> warehouse, String missingWarehouse,
                                        int port, String target, boolean autoReconcile, Path stateDir) {
        var tables = spec.tables();
        LiveStateReader reader = new LiveStateReader(dynamoDb, tables.deviceState(), tables.deviceWindows(), tables.alerts());
        Clock clock = Clock.systemUTC();
        ReportSource reports = new ReportSource(warehouse, missingWarehouse, spec.warehouse().schema(), reader, autoReconcile, clock);
        // The live pages read through the live API's router: the same routes, limits and JSON as the deployed API.
        LiveApi api = new LiveApi(reader, clock);
        LiveSource live = (path, query) -> {
            LiveApi.Response answer = api.handle("GET", path, query);
            return new LiveSource.Reply(answer.status(), answer.body());
        };
        LatestTradeoff tradeoff = new LatestTradeoff(stateDir);
        return DashboardServer.start(port, live, reports, target, tradeoff::html, clock);
    }
}
