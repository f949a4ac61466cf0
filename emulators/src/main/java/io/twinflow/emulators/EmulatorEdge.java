package io.twinflow.emulators;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kinesis, DynamoDB, S3 and SQS behind one address, as LocalStack and Floci serve them on their edge
 * port: an HTTP relay that sends each request to the emulator of the service it is for, chosen per
 * request (SDK clients of different services share pooled connections to one host and port). The
 * service is read from {@code X-Amz-Target} ({@code Kinesis_…}, {@code DynamoDB_…}, {@code
 * AmazonSQS.…}), else from the SigV4 credential scope, else it is S3.
 *
 * <p>Requests are relayed unchanged, {@code Host} included, so that signatures still verify (s3proxy
 * checks them). That needs the JDK HTTP client's {@code jdk.httpclient.allowRestrictedHeaders=host},
 * which {@link #start} sets for this JVM before the client reads it.
 */
public final class EmulatorEdge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmulatorEdge.class);
    private static final Pattern SCOPE_SERVICE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request");
    /** Hop-by-hop headers and those the relay's HTTP client sets itself. */
    private static final Set<String> NOT_RELAYED = Set.of("connection", "content-length", "transfer-encoding", "expect",
            "keep-alive", "upgrade", "te", "trailer", "proxy-connection", "date");

    private final HttpServer server;
    private final ExecutorService workers;
    private final HttpClient client;
    private final Map<String, URI> services;
    private final URI endpoint;

    private EmulatorEdge(HttpServer server, ExecutorService workers, HttpClient client, Map<String, URI> services) {
        this.server = server;
        this.workers = workers;
        this.client = client;
        this.services = services;
        this.endpoint = URI.create("http://" + LoopbackPorts.HOST + ":" + server.getAddress().getPort());
    }

    /** Serves the four emulators on one free loopback port. */
    public static EmulatorEdge start(URI kinesis, URI dynamoDb, URI s3, URI sqs) {
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(LoopbackPorts.HOST), 0), 64);
        } catch (IOException e) {
            throw new EmulatorStartException("the emulator edge could not bind a loopback port: " + e.getMessage(), e);
        }
        ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "emulator-edge");
            thread.setDaemon(true);
            return thread;
        });
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(workers).build();
        EmulatorEdge edge = new EmulatorEdge(server, workers, client,
                Map.of("kinesis", kinesis, "dynamodb", dynamoDb, "s3", s3, "sqs", sqs));
        server.createContext("/", edge::relay);
        server.setExecutor(workers);
        server.start();
        LOG.info("emulator edge at {}: kinesis {}, dynamodb {}, s3 {}, sqs {}", edge.endpoint, kinesis, dynamoDb, s3, sqs);
        return edge;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Which emulator a request is for, from its headers. */
    static String service(String target, String authorization) {
        if (target != null) {
            if (target.startsWith("Kinesis_")) {
                return "kinesis";
            } else if (target.startsWith("DynamoDB_")) {
                return "dynamodb";
            } else if (target.startsWith("AmazonSQS")) {
                return "sqs";
            }
        }
        if (authorization != null) {
            Matcher scope = SCOPE_SERVICE.matcher(authorization);
            if (scope.find() && Set.of("kinesis", "dynamodb", "sqs").contains(scope.group(1))) {
                return scope.group(1);
            }
        }
        return "s3";
    }

    private void relay(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI backend = services.get(service(exchange.getRequestHeaders().getFirst("X-Amz-Target"),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(backend.resolve(exchange.getRequestURI().getRawPath()
                            + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery())))
                    .method(exchange.getRequestMethod(), hasBody(exchange)
                            ? HttpRequest.BodyPublishers.ofByteArray(body) : HttpRequest.BodyPublishers.noBody());
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_RELAYED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while relaying to " + backend, e);
            }
            response.headers().map().forEach((name, values) -> {
                if (!NOT_RELAYED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            if ("HEAD".equals(exchange.getRequestMethod())) {
                response.headers().firstValue("Content-Length")
                        .ifPresent(length -> exchange.getResponseHeaders().set("Content-Length", length));
            }
            byte[] answer = response.body();
            boolean noBody = "HEAD".equals(exchange.getRequestMethod()) || response.statusCode() == 204
                    || response.statusCode() == 304 || answer.length == 0;
            exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : answer.length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("emulator edge could not relay {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
            throw e;
        }
    }

    /** A request that declared a body, even an empty one: its Content-Length may be signed. */
    private static boolean hasBody(HttpExchange exchange) {
        return exchange.getRequestHeaders().containsKey("Content-Length") || exchange.getRequestHeaders().containsKey("Transfer-Encoding");
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
