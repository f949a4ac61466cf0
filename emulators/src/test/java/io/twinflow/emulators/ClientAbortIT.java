package io.twinflow.emulators;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * kinesalite and dynalite rethrow a request that a client abandons mid-body, which used to kill the
 * emulator (seen in a CI run, after a thread was interrupted during a call). Both launchers keep them
 * serving: after an abandoned request, a normal call still succeeds.
 */
class ClientAbortIT {

    /** Sends the headers and half of a declared body, then closes the connection. */
    private static void abandonRequest(URI endpoint, String target) throws Exception {
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: " + endpoint.getHost() + "\r\nContent-Type: application/x-amz-json-1.0\r\n"
                    + "X-Amz-Target: " + target + "\r\nContent-Length: 1000\r\n\r\n{\"half\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(200);
        }
        Thread.sleep(300);
    }

    @Test
    void kinesaliteKeepsServingAfterAClientAbandonsARequest() throws Exception {
        try (EmbeddedKinesis kinesis = EmbeddedKinesis.start(); KinesisClient client = kinesis.kinesisClient()) {
            abandonRequest(kinesis.endpoint(), "Kinesis_20131202.ListStreams");
            client.listStreams();
        }
    }

    @Test
    void dynaliteKeepsServingAfterAClientAbandonsARequest() throws Exception {
        try (EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start(); DynamoDbClient client = dynamo.dynamoDbClient()) {
            abandonRequest(dynamo.endpoint(), "DynamoDB_20120810.ListTables");
            client.listTables();
        }
    }
}
