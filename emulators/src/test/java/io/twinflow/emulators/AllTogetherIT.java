package io.twinflow.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * s3proxy (shaded Jetty 12.1, Jackson 3) and ElasticMQ (Pekko, Scala) share this JVM's classpath the
 * way the local runtime shares it, next to the Node (dynalite, kinesalite) and PostgreSQL children:
 * every one of them must still do real work while all five run at once.
 */
class AllTogetherIT {

    @Test
    void allFiveServeRealRequestsAtTheSameTime() throws SQLException {
        try (LocalEmulators emulators = LocalEmulators.start();
             DynamoDbClient dynamoDb = emulators.dynamoDb().dynamoDbClient();
             S3Client s3 = emulators.s3().s3Client();
             SqsClient sqs = emulators.sqs().sqsClient();
             KinesisClient kinesis = emulators.kinesis().kinesisClient();
             Connection postgres = emulators.postgres().connection()) {

            assertThat(Stream.of(emulators.dynamoDb().endpoint(), emulators.s3().endpoint(),
                    emulators.sqs().endpoint(), emulators.kinesis().endpoint(), emulators.postgres().endpoint())
                    .map(uri -> uri.getPort()).distinct()).hasSize(5);

            RoundTrips.dynamoDb(dynamoDb);
            RoundTrips.s3(s3);
            RoundTrips.sqs(sqs);
            RoundTrips.kinesis(kinesis);
            RoundTrips.postgres(postgres);
        }
    }
}
