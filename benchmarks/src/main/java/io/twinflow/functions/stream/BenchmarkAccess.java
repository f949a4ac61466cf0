package io.twinflow.functions.stream;

import io.twinflow.functions.FunctionSettings;
import java.io.PrintStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Lives in the functions' package (on the class path, a package may span jars) to reach the
 * handler's constructor that takes clients: the write-cost benchmark then runs the handler exactly as
 * wired for Lambda, only with a DynamoDB client that meters consumed capacity.
 */
public final class BenchmarkAccess {

    private BenchmarkAccess() {
    }

    public static StreamProcessorHandler handler(FunctionSettings settings, DynamoDbClient dynamoDb, S3Client s3, PrintStream log) {
        return new StreamProcessorHandler(settings, dynamoDb, s3, new BatchLog(log));
    }
}
