package io.twinflow.local.status;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CloudWatch's GetMetricData on a loopback port, answered in the protocol SDK 2.57's CloudWatch client speaks: Smithy
 * RPC v2 CBOR ({@code POST /service/GraniteServiceVersion20100801/operation/GetMetricData}, a CBOR map with timestamps as
 * tag 1 epoch seconds). It answers every call with the results given, whatever was asked: what was asked is checked on
 * the SDK's side, through the call hook, as the typed request.
 */
final class FakeCloudWatch implements AutoCloseable {

    /** One metric's points, newest first, as CloudWatch orders them. */
    record Points(List<Instant> timestamps, List<Double> values) {
    }

    private final HttpServer server;
    private final Map<String, Points> results = new LinkedHashMap<>();
    private final List<String> paths = new ArrayList<>();

    FakeCloudWatch() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            synchronized (this) {
                paths.add(exchange.getRequestURI().getPath());
            }
            exchange.getRequestBody().readAllBytes();
            byte[] body = answer();
            exchange.getResponseHeaders().add("Content-Type", "application/cbor");
            exchange.getResponseHeaders().add("smithy-protocol", "rpc-v2-cbor");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    synchronized void answer(String id, Points points) {
        results.put(id, points);
    }

    synchronized List<String> paths() {
        return List.copyOf(paths);
    }

    private synchronized byte[] answer() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CBORGenerator cbor = new CBORFactory().createGenerator(bytes)) {
            cbor.writeStartObject();
            cbor.writeFieldName("MetricDataResults");
            cbor.writeStartArray();
            for (Map.Entry<String, Points> result : results.entrySet()) {
                cbor.writeStartObject();
                cbor.writeStringField("Id", result.getKey());
                cbor.writeStringField("Label", result.getKey());
                cbor.writeFieldName("Timestamps");
                cbor.writeStartArray();
                for (Instant at : result.getValue().timestamps()) {
                    cbor.writeTag(1);
                    cbor.writeNumber(at.toEpochMilli() / 1000.0);
                }
                cbor.writeEndArray();
                cbor.writeFieldName("Values");
                cbor.writeStartArray();
                for (double value : result.getValue().values()) {
                    cbor.writeNumber(value);
                }
                cbor.writeEndArray();
                cbor.writeStringField("StatusCode", "Complete");
                cbor.writeEndObject();
            }
            cbor.writeEndArray();
            cbor.writeEndObject();
        }
        return bytes.toByteArray();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
