package io.twinflow.local.config;

import io.twinflow.aws.SdkClients;
import io.twinflow.core.error.UserMistakeException;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.resources.ServiceEndpoints;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds SDK clients for either the local stack (endpoints from {@code endpoints.json}, fixed
 * credentials) or AWS (the standard credential and region chains, optionally one endpoint override).
 */
public final class ServiceClients {

    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final Optional<Endpoints> local;
    /** The local stack's or the container's Kinesis, DynamoDB, S3 and SQS; empty for AWS. */
    private final Optional<ServiceEndpoints> localServices;
    private final Optional<URI> awsEndpoint;
    private final PipelineSpec spec;
    /** A container emulator (LocalStack, Floci) behind one edge endpoint: no Redshift, no Glue jobs. */
    private final boolean containerEdge;

    private ServiceClients(Region region, AwsCredentialsProvider credentials, Optional<Endpoints> local,
                           Optional<ServiceEndpoints> localServices, Optional<URI> awsEndpoint, PipelineSpec spec,
                           boolean containerEdge) {
        this.region = region;
        this.credentials = credentials;
        this.local = local;
        this.localServices = localServices;
        this.awsEndpoint = awsEndpoint;
        this.spec = spec;
        this.containerEdge = containerEdge;
    }

    /** Clients for a local stack. Kinesis emulators need the JSON protocol, not CBOR. */
    public static ServiceClients local(Endpoints endpoints) {
        SdkClients.kinesisOverJson();
        Region region = Region.of(endpoints.region());
        AwsCredentialsProvider keys = SdkClients.staticCredentials(endpoints.credentials().accessKeyId(),
                endpoints.credentials().secretAccessKey());
        ServiceEndpoints services = new ServiceEndpoints(URI.create(endpoints.kinesis()), URI.create(endpoints.dynamodb()),
                URI.create(endpoints.s3()), URI.create(endpoints.sqs()), region, keys);
        return new ServiceClients(region, keys, Optional.of(endpoints), Optional.of(services), Optional.empty(),
                PipelineSpec.withPrefix(endpoints.resources().prefix()), false);
    }

    /**
     * Clients for LocalStack or Floci: every service behind one edge endpoint, path-style S3, JSON (not
     * CBOR) Kinesis, and the static keys the local functions sign with.
     */
    public static ServiceClients containerEdge(URI edge, String region, String prefix) {
        SdkClients.kinesisOverJson();
        ServiceEndpoints services = ServiceEndpoints.edge(edge, Region.of(region));
        return new ServiceClients(services.region(), services.credentials(), Optional.empty(), Optional.of(services),
                Optional.of(edge), PipelineSpec.withPrefix(prefix), true);
    }

    /** Clients for AWS: region from the argument or the default chain, credentials from the default chain. */
    public static ServiceClients aws(String region, URI endpointOverride, String prefix) {
        return aws(region, null, endpointOverride, prefix);
    }

    /**
     * Clients for AWS with a named profile of the shared config and credentials files ({@code aws --profile}): its
     * credentials, and its region unless {@code region} is given. A null profile is the SDK's default chain
     * ({@code AWS_PROFILE}, else {@code default}).
     */
    public static ServiceClients aws(String region, String profile, URI endpointOverride, String prefix) {
        DefaultAwsRegionProviderChain.Builder regionChain = DefaultAwsRegionProviderChain.builder();
        DefaultCredentialsProvider.Builder credentials = DefaultCredentialsProvider.builder();
        if (profile != null) {
            regionChain.profileName(profile);
            credentials.profileName(profile);
        }
        Region r;
        try {
            r = region != null ? Region.of(region) : regionChain.build().getRegion();
        } catch (SdkClientException noRegion) {
            throw new UserMistakeException("no AWS region for --target aws" + (profile != null ? " (profile " + profile + ")" : "")
                    + ": pass --region, set AWS_REGION, or set a region in the profile", noRegion);
        }
        return new ServiceClients(r, credentials.build(), Optional.empty(), Optional.empty(),
                Optional.ofNullable(endpointOverride), PipelineSpec.withPrefix(prefix), false);
    }

    public PipelineSpec spec() {
        return spec;
    }

    public Region region() {
        return region;
    }

    public Optional<Endpoints> localEndpoints() {
        return local;
    }

    /** On a local stack or a container: JSON, not CBOR (see {@link ServiceEndpoints#kinesisClient}). */
    public KinesisClient kinesis() {
        return localServices.map(ServiceEndpoints::kinesisClient).orElseGet(() -> configure(KinesisClient.builder()));
    }

    public DynamoDbClient dynamoDb() {
        return localServices.map(ServiceEndpoints::dynamoDbClient).orElseGet(() -> configure(DynamoDbClient.builder()));
    }

    /** On a local stack or a container: path-style (see {@link ServiceEndpoints#s3Client}). */
    public S3Client s3() {
        return localServices.map(ServiceEndpoints::s3Client).orElseGet(() -> configure(S3Client.builder()));
    }

    public SqsClient sqs() {
        return localServices.map(ServiceEndpoints::sqsClient).orElseGet(() -> configure(SqsClient.builder()));
    }

    /** CloudWatch metrics, read by {@code twinflow status --target aws}: the local stacks publish none. */
    public CloudWatchClient cloudWatch() {
        return configure(CloudWatchClient.builder());
    }

    /** Lambda, for invoking the deployed batch loader: the call lasts as long as the function runs (up to 15 min). */
    public LambdaClient lambda() {
        requireWarehouseServices("the deployed batch loader");
        return configure(LambdaClient.builder(), UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMinutes(16)));
    }

    public GlueClient glue() {
        requireWarehouseServices("Glue jobs");
        return configure(GlueClient.builder());
    }

    public RedshiftDataClient redshiftData() {
        requireWarehouseServices("Redshift");
        return configure(RedshiftDataClient.builder());
    }

    private void requireWarehouseServices(String what) {
        if (containerEdge) {
            throw new UserMistakeException(what + " is not available on LocalStack's free edition or Floci: "
                    + "run the batch path with --target local (embedded PostgreSQL and Spark) or --target aws");
        }
    }

    /** A client of AWS (or of the one endpoint override), also for the services a local stack lacks. */
    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C configure(B builder) {
        return configure(builder, UrlConnectionHttpClient.builder());
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C configure(B builder, UrlConnectionHttpClient.Builder http) {
        return SdkClients.setup(region, credentials).endpoint(awsEndpoint).http(http).build(builder);
    }
}
