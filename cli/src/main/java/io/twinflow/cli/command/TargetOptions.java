package io.twinflow.cli.command;

import io.twinflow.core.error.UserMistakeException;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.config.LocalStackProcess;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.runtime.StackServices;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;

/**
 * Where a command sends its requests: the running local stack (default), a LocalStack/Floci container, or AWS. Flags
 * win over the environment ({@code TWINFLOW_TARGET}, {@code TWINFLOW_PREFIX}, {@code AWS_PROFILE}, {@code AWS_REGION}:
 * {@link CliEnvironment}), the environment over the defaults.
 */
public final class TargetOptions {

    public enum Target { local, localstack, aws }

    /** Where docker-compose (localstack/docker-compose.yml) publishes LocalStack's or Floci's edge port. */
    static final URI DEFAULT_EDGE = URI.create("http://localhost:4566");

    /** LocalStack's and Floci's default region. */
    static final String DEFAULT_CONTAINER_REGION = "us-east-1";

    @CommandLine.Option(names = "--target", paramLabel = "local|localstack|aws",
            description = "local: the stack started by `twinflow local up` (read from .twinflow/endpoints.json); "
                    + "localstack: LocalStack or Floci on --endpoint-url (default http://localhost:4566; no Redshift or Glue there); "
                    + "aws: the standard AWS credential and region chain. Default: $TWINFLOW_TARGET, else local.")
    private Target target; // null until resolved: read target()

    @CommandLine.Option(names = "--region", description = "AWS region (with --target aws or localstack). Default: $AWS_REGION, else "
            + "the profile's region and the SDK's region chain (aws), us-east-1 (localstack).")
    private String region; // null until resolved: read region()

    @CommandLine.Option(names = "--profile", paramLabel = "NAME", description = "With --target aws: the named profile of the AWS "
            + "config and credentials files, as `aws --profile`. Default: $AWS_PROFILE, else the SDK's default.")
    String profile;

    @CommandLine.Option(names = "--endpoint-url",
            description = "Endpoint override (with --target aws), or the container's edge endpoint (with --target localstack).")
    URI endpointUrl;

    @CommandLine.Option(names = "--prefix", converter = PrefixConverter.class,
            description = "Resource name prefix (with --target aws or localstack). Default: $TWINFLOW_PREFIX, else " + PipelineSpec.DEFAULT_PREFIX
                    + ".")
    private String prefix; // null until resolved: read prefix()

    @CommandLine.Option(names = "--endpoints-file", paramLabel = "FILE",
            description = "The local stack's endpoints file. Default: .twinflow/endpoints.json under $TWINFLOW_HOME or the current directory.")
    Path endpointsFile;

    /** Where the flags' defaults come from; tests give their own variables. */
    CliEnvironment environment = CliEnvironment.system();

    /** --target, else $TWINFLOW_TARGET, else local. */
    public Target target() {
        return environment.target(target);
    }

    /** --prefix, else $TWINFLOW_PREFIX, else the pipeline's default prefix. */
    public String prefix() {
        return environment.prefix(prefix);
    }

    /** --region, else $AWS_REGION; empty: the caller's default. */
    public Optional<String> region() {
        return environment.region(region);
    }

    public ServiceClients clients() {
        Target where = target();
        String prefix = prefix();
        Optional<String> region = region();
        if (where == Target.aws) {
            return ServiceClients.aws(region.orElse(null), environment.profile(profile).orElse(null), endpointUrl, prefix);
        }
        Path file = endpointsFile();
        Optional<Endpoints> running = running(file);
        if (where == Target.localstack) {
            URI edge = endpointUrl != null ? endpointUrl : DEFAULT_EDGE;
            // `local up --target localstack` on this container also runs the warehouse: its stack serves the batch commands.
            return running.filter(e -> servesContainer(e, edge, prefix, region))
                    .map(ServiceClients::local)
                    .orElseGet(() -> ServiceClients.containerEdge(edge, region.orElse(DEFAULT_CONTAINER_REGION), prefix));
        }
        return running.map(ServiceClients::local).orElseThrow(() -> new UserMistakeException(
                "no local stack is running (" + file + " is missing or stale). Start one with `./twinflow local up`, "
                        + "or pass --target aws."));
    }

    /**
     * Whether the target is the local stack and none serves it (no endpoints file, or one whose process is gone or was
     * reused), as {@code local status} decides: a command that can run on a private stack of its own ({@code invoke}) starts one.
     */
    public boolean localStackMissing() {
        return target() == Target.local && LocalStackProcess.status(endpointsFile()).state() != LocalStackProcess.State.RUNNING;
    }

    /** --endpoints-file, else the default endpoints file. */
    Path endpointsFile() {
        return endpointsFile != null ? endpointsFile : Endpoints.defaultFile();
    }

    /** The local stack that wrote {@code file}, if its process still runs. */
    static Optional<Endpoints> running(Path file) {
        try {
            return Endpoints.running(file);
        } catch (IOException e) {
            throw new UserMistakeException("cannot read " + file + " (" + e.getMessage() + "): delete it if no local stack is running "
                    + "(`./twinflow local up` writes a new one)", e);
        }
    }

    private static boolean servesContainer(Endpoints running, URI edge, String prefix, Optional<String> region) {
        return StackServices.LOCALSTACK.equals(running.target()) && sameEndpoint(URI.create(running.kinesis()), edge)
                && running.resources().prefix().equals(prefix)
                && region.map(running.region()::equals).orElse(true);
    }

    /** localhost and 127.0.0.1 are the same edge; so are a URL with and without its trailing slash. */
    static boolean sameEndpoint(URI a, URI b) {
        return a.getScheme().equals(b.getScheme()) && a.getPort() == b.getPort() && loopbackOr(a.getHost()).equals(loopbackOr(b.getHost()));
    }

    private static String loopbackOr(String host) {
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") ? "loopback" : host;
    }
}
