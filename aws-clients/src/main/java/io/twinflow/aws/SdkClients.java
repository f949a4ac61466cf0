package io.twinflow.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * The one way Twinflow builds a synchronous SDK client: an explicit region and credentials (nothing on
 * the machine is consulted: that lookup is slow and makes a run depend on the machine), an optional
 * endpoint override (an emulator, LocalStack, Floci), the URL-connection HTTP client (it starts faster
 * than the Apache or Netty ones, which the Lambda's cold start and the local runtime's start both
 * feel), and, where a caller asks for them, a retry budget and an attempt timeout.
 *
 * <pre>{@code
 * DynamoDbClient client = SdkClients.setup(Region.US_EAST_1, SdkClients.LOCAL_CREDENTIALS)
 *         .endpoint(URI.create("http://127.0.0.1:4567"))
 *         .build(DynamoDbClient.builder());
 * }</pre>
 *
 * <p>Every client carries {@link SdkCallHook}, which reports its calls to whoever registered to count them
 * ({@code twinflow tradeoff}), unless built {@link Setup#unmetered()}. Also here: the local signing keys and the
 * Kinesis CBOR switch, which every local client shares.
 */
public final class SdkClients {

    /**
     * The keys everything local signs with (functions against an emulator, the local runtime, the
     * container tests, the endpoints file): emulators accept any key, LocalStack and Floci map any
     * non-numeric key to one account, and one shared pair keeps every client in that account.
     */
    public static final AwsCredentialsProvider LOCAL_CREDENTIALS = staticCredentials("twinflow", "twinflow");

    /**
     * The system property the SDK reads each time it builds a Kinesis client. kinesalite's CBOR breaks on
     * large PutRecords and GetRecords; JSON is understood by every emulator and by AWS.
     */
    public static final String CBOR_PROPERTY = "aws.cborEnabled";

    private SdkClients() {
    }

    public static AwsCredentialsProvider staticCredentials(String accessKeyId, String secretAccessKey) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
    }

    /**
     * Makes every Kinesis client built from now on in this JVM speak JSON instead of CBOR. A client
     * built before keeps CBOR; another JVM needs {@code -Daws.cborEnabled=false} or
     * {@code CBOR_ENABLED=false}.
     *
     * @return whether this call changed the setting
     */
    public static boolean kinesisOverJson() {
        return !"false".equals(System.setProperty(CBOR_PROPERTY, "false"));
    }

    /** The settings every client needs; the rest start unset (no override, SDK default retries). */
    public static Setup setup(Region region, AwsCredentialsProvider credentials) {
        return new Setup(region, credentials, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), true);
    }

    /**
     * How to build a client, immutable: each method returns a copy with one setting changed, so one
     * setup can be shared by every client of a stack.
     */
    public static final class Setup {
        private final Region region;
        private final AwsCredentialsProvider credentials;
        private final Optional<URI> endpoint;
        private final Optional<SdkHttpClient> httpClient;
        private final Optional<UrlConnectionHttpClient.Builder> httpClientBuilder;
        private final Optional<Integer> maxAttempts;
        private final Optional<Duration> attemptTimeout;
        private final boolean metered;

        private Setup(Region region, AwsCredentialsProvider credentials, Optional<URI> endpoint,
                      Optional<SdkHttpClient> httpClient, Optional<UrlConnectionHttpClient.Builder> httpClientBuilder,
                      Optional<Integer> maxAttempts, Optional<Duration> attemptTimeout, boolean metered) {
            this.region = Objects.requireNonNull(region, "region");
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            this.endpoint = endpoint;
            this.httpClient = httpClient;
            this.httpClientBuilder = httpClientBuilder;
            this.maxAttempts = maxAttempts;
            this.attemptTimeout = attemptTimeout;
            this.metered = metered;
        }

        /** Where the service answers instead of AWS's regional endpoint. */
        public Setup endpoint(URI newEndpoint) {
            return endpoint(Optional.of(newEndpoint));
        }

        /** An endpoint override when present, AWS's regional endpoint otherwise. */
        public Setup endpoint(Optional<URI> newEndpoint) {
            return new Setup(region, credentials, newEndpoint, httpClient, httpClientBuilder, maxAttempts, attemptTimeout, metered);
        }

        /**
         * The URL-connection client built from {@code builder} (timeouts), owned and closed by the SDK
         * client. Without this or {@link #httpClient}, a URL-connection client with its defaults.
         */
        public Setup http(UrlConnectionHttpClient.Builder builder) {
            return new Setup(region, credentials, endpoint, Optional.empty(), Optional.of(builder), maxAttempts, attemptTimeout, metered);
        }

        /** A caller's own HTTP client (tests inject faults with it; benchmarks compare clients); the caller closes it. */
        public Setup httpClient(SdkHttpClient client) {
            return new Setup(region, credentials, endpoint, Optional.of(client), Optional.empty(), maxAttempts, attemptTimeout, metered);
        }

        /** The SDK's standard retry strategy (back-off with jitter, throttling retried) with this many attempts. */
        public Setup maxAttempts(int attempts) {
            return new Setup(region, credentials, endpoint, httpClient, httpClientBuilder, Optional.of(attempts), attemptTimeout, metered);
        }

        /** How long one attempt of a call may take before it is abandoned (and retried). */
        public Setup attemptTimeout(Duration timeout) {
            return new Setup(region, credentials, endpoint, httpClient, httpClientBuilder, maxAttempts, Optional.of(timeout), metered);
        }

        /**
         * A client whose calls {@link SdkCallHook} does not report: for code that watches the pipeline
         * (counts its output) and must not be counted as the pipeline's own usage.
         */
        public Setup unmetered() {
            return new Setup(region, credentials, endpoint, httpClient, httpClientBuilder, maxAttempts, attemptTimeout, false);
        }

        /**
         * Applies these settings to {@code builder}; the caller may still set anything else on it, but a
         * later {@code overrideConfiguration} replaces the hook and the retry settings.
         */
        public <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder) {
            builder.region(region).credentialsProvider(credentials);
            endpoint.ifPresent(builder::endpointOverride);
            if (httpClient.isPresent()) {
                builder.httpClient(httpClient.get());
            } else {
                builder.httpClientBuilder(httpClientBuilder.orElseGet(UrlConnectionHttpClient::builder));
            }
            if (maxAttempts.isPresent() || attemptTimeout.isPresent() || metered) {
                ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder();
                maxAttempts.ifPresent(attempts -> override.retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(attempts).build()));
                attemptTimeout.ifPresent(override::apiCallAttemptTimeout);
                if (metered) {
                    override.addExecutionInterceptor(SdkCallHook.INSTANCE);
                }
                builder.overrideConfiguration(override.build());
            }
            return builder;
        }

        /** {@link #configure} and build. */
        public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder) {
            return configure(builder).build();
        }
    }
}
