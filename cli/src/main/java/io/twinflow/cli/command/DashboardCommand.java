package io.twinflow.cli.command;

import io.twinflow.core.error.UserMistakeException;
import io.twinflow.dashboard.Dashboard;
import io.twinflow.dashboard.DashboardServer;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.warehouse.Warehouse;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@CommandLine.Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {"Serves the dashboard on 127.0.0.1 and prints its address: the live fleet (table, map, alert feed, "
                + "updated within about a second of processing), each device's per-minute windows as charts, and the warehouse "
                + "reports as charts with their tables next to the latest reconciliation. Runs until Ctrl-C.",
                "Local stack by default (`twinflow local up` also starts one); with --target aws it reads DynamoDB and Redshift "
                        + "with your credentials, and is reachable from this machine only. Every script and style is served "
                        + "by the command itself: it works offline."})
public final class DashboardCommand implements Callable<Integer> {

    @CommandLine.Mixin
    TargetOptions target = new TargetOptions();

    @CommandLine.Mixin
    WarehouseOptions warehouse = new WarehouseOptions();

    @CommandLine.Option(names = "--port", paramLabel = "P",
            description = "The loopback port; 0 for any free one. Default: ${DEFAULT-VALUE}.")
    int port = Dashboard.DEFAULT_PORT;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) {
            throw new UserMistakeException("--port " + port + " is not a port: give 1 to 65535, or 0 for any free one");
        }
        ServiceClients clients = target.clients();
        DynamoDbClient dynamoDb = clients.dynamoDb();
        // Without warehouse settings the live pages still work; the reports say what is missing.
        Optional<WarehouseOptions.Connection> connection;
        String missing = "";
        try {
            connection = Optional.of(warehouse.open(clients));
        } catch (UserMistakeException e) {
            connection = Optional.empty();
            missing = "no warehouse: " + e.getMessage();
        }
        Optional<Warehouse> reports = connection.map(WarehouseOptions.Connection::warehouse);
        String label = target.target() == TargetOptions.Target.aws ? "aws " + clients.region().id() + " · " + clients.spec().prefix()
                : target.target().name();
        DashboardServer server = Dashboard.start(clients.spec(), dynamoDb, reports, missing, port, label,
                clients.localEndpoints().isPresent(), Endpoints.stateDir());
        CountDownLatch stopped = new CountDownLatch(1);
        Optional<WarehouseOptions.Connection> opened = connection;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            dynamoDb.close();
            opened.ifPresent(c -> {
                try {
                    c.close();
                } catch (Exception e) {
                    System.err.println("twinflow: closing the warehouse connection failed: " + e.getMessage());
                }
            });
            stopped.countDown();
        }, "twinflow-dashboard-stop"));
        if (!missing.isEmpty()) {
            System.err.println("twinflow: the reports need a warehouse (" + missing + "); the live pages work without one");
        }
        System.err.println("twinflow dashboard of " + label + " on loopback only. Press Ctrl-C to stop.");
        System.out.println(server.url());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
