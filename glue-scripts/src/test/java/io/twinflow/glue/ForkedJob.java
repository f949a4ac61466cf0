package io.twinflow.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.emulators.EmbeddedPostgres;
import io.twinflow.emulators.EmbeddedS3;
import io.twinflow.emulators.EmulatorClients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * Runs {@link DailyRollupJob} the way Glue does: in its own JVM, from the shaded -glue jar on top of
 * the libraries Glue provides (the build writes both into {@code target/glue-local.args}), with s3a
 * pointed at the embedded S3. Spark and hadoop-aws never share a JVM with s3proxy.
 */
final class ForkedJob {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EmbeddedS3 s3;
    private final EmbeddedPostgres postgres;
    private final String heap;

    ForkedJob(EmbeddedS3 s3, EmbeddedPostgres postgres, String heap) {
        this.s3 = s3;
        this.postgres = postgres;
        this.heap = heap;
    }

    /** Runs the job to completion and returns its (last) JSON report line; fails with the job's log otherwise. */
    JsonNode run(String logName, String... jobArgs) throws IOException, InterruptedException {
        List<JsonNode> reports = runAll(logName, jobArgs);
        return reports.get(reports.size() - 1);
    }

    /** Runs the job to completion and returns every report line, one per day rolled up, in order. */
    List<JsonNode> runAll(String logName, String... jobArgs) throws IOException, InterruptedException {
        Path argsFile = Paths.get(System.getProperty("twinflow.glue.args", "target/glue-local.args"));
        if (!Files.exists(argsFile)) {
            throw new IllegalStateException(argsFile + " is missing: run the ITs through `mvn verify`");
        }
        AwsCredentials credentials = EmulatorClients.CREDENTIALS.resolveCredentials();
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + argsFile.toAbsolutePath(),
                "-Xmx" + heap,
                "-Dspark.master=local[2]",
                "-Dspark.driver.bindAddress=127.0.0.1",
                "-Dspark.driver.host=127.0.0.1",
                "-Dspark.ui.enabled=false",
                "-Dspark.hadoop.fs.s3a.endpoint=" + s3.endpoint(),
                "-Dspark.hadoop.fs.s3a.endpoint.region=" + EmulatorClients.REGION.id(),
                "-Dspark.hadoop.fs.s3a.path.style.access=true",
                "-Dspark.hadoop.fs.s3a.connection.ssl.enabled=false",
                "-Dspark.hadoop.fs.s3a.aws.credentials.provider=org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
                "-Dspark.hadoop.fs.s3a.access.key=" + credentials.accessKeyId(),
                "-Dspark.hadoop.fs.s3a.secret.key=" + credentials.secretAccessKey(),
                DailyRollupJob.class.getName()));
        command.addAll(List.of(jobArgs));
        command.addAll(List.of("--warehouse-jdbc-url", postgres.jdbcUrl(), "--warehouse-user", postgres.user(),
                "--warehouse-password", postgres.password()));
        Path logs = Files.createDirectories(Paths.get("target", "it-logs"));
        Path out = logs.resolve(logName + ".out");
        Path err = logs.resolve(logName + ".err");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(Duration.ofMinutes(15).toMinutes(), TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the job did not finish in 15 minutes; see " + err);
        }
        List<String> stdout = Files.readAllLines(out);
        if (process.exitValue() != 0 || stdout.isEmpty()) {
            throw new IllegalStateException("the job exited with " + process.exitValue() + "; its log ends with:\n" + tail(err));
        }
        List<JsonNode> reports = new ArrayList<>();
        for (String line : stdout) {
            reports.add(JSON.readTree(line));
        }
        return reports;
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
