package io.twinflow.infra;

import io.twinflow.core.pipeline.PipelineSpec;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * How every Twinflow Lambda function is deployed: the newest Java runtime, Graviton, SnapStart on
 * published versions behind a {@code live} alias, an encrypted log group with retention and a role
 * that can write only to that log group.
 */
public final class JavaFunction extends Construct {

    /** The newest Java runtime CDK knows; SnapStart supports it. */
    static final Runtime RUNTIME = Runtime.JAVA_25;
    static final String ALIAS = "live";

    public final Role role;
    public final LogGroup logGroup;
    public final Function function;
    /**
     * SnapStart snapshots only published versions, so triggers must invoke this alias: the unqualified
     * function would run without a snapshot.
     */
    public final Alias alias;

    /**
     * What differs between the functions. Build with {@link #builder()}: the handler, code, timeout, key
     * and description are required; memory defaults to {@value #DEFAULT_MEMORY_MB} MB and the environment
     * to none.
     */
    public record Props(String description, String handler, Code code, int memoryMb, Duration timeout,
                        Map<String, String> environment, IKey key) {

        public static final int DEFAULT_MEMORY_MB = 512;

        public Props {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(handler, "handler");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(key, "key");
            // Kept as given, not copied: its iteration order is the order of the synthesized variables.
            Objects.requireNonNull(environment, "environment");
        }

        public static Builder builder() {
            return new Builder();
        }

        /** Named settings for {@link Props}. */
        public static final class Builder {
            private String description;
            private String handler;
            private Code code;
            private int memoryMb = DEFAULT_MEMORY_MB;
            private Duration timeout;
            private Map<String, String> environment = Map.of();
            private IKey key;

            private Builder() {
            }

            public Builder description(String value) {
                description = value;
                return this;
            }

            /** {@code package.Class::method}, as Lambda's handler setting. */
            public Builder handler(String value) {
                handler = value;
                return this;
            }

            public Builder code(Code value) {
                code = value;
                return this;
            }

            public Builder memoryMb(int value) {
                memoryMb = value;
                return this;
            }

            public Builder timeout(Duration value) {
                timeout = value;
                return this;
            }

            /** The function's variables; encrypted with {@link #key(IKey)}. */
            public Builder environment(Map<String, String> value) {
                environment = value;
                return this;
            }

            /** Encrypts the environment and the log group. */
            public Builder key(IKey value) {
                key = value;
                return this;
            }

            public Props build() {
                return new Props(description, handler, code, memoryMb, timeout, environment, key);
            }
        }
    }

    JavaFunction(Construct scope, String id, Props props) {
        super(scope, id);
        // An own role instead of the default one, which would attach AWSLambdaBasicExecutionRole: that
        // managed policy lets the function write to every log group in the account.
        role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description(props.description())
                .build();
        logGroup = LogGroup.Builder.create(this, "Logs")
                .retention(RetentionDays.ONE_MONTH)
                .encryptionKey(props.key())
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        logGroup.grantWrite(role);
        function = Function.Builder.create(this, "Function")
                .description(props.description())
                .runtime(RUNTIME)
                .architecture(PipelineSpec.Deployment.DEFAULT.lambdaOnGraviton() ? Architecture.ARM_64 : Architecture.X86_64)
                .handler(props.handler())
                .code(props.code())
                .memorySize(props.memoryMb())
                .timeout(props.timeout())
                .environment(props.environment())
                .environmentEncryption(props.key())
                .role(role)
                .logGroup(logGroup)
                // Plain text: the handlers already write JSON lines, and metric filters match them as
                // they are; the JSON log format would nest each line inside another "message" field.
                .loggingFormat(LoggingFormat.TEXT)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .build();
        // CDK warns on every SnapStart function that it needs published versions: this one has them (below).
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "the function publishes currentVersion and every trigger invokes the alias on it");
        alias = Alias.Builder.create(this, "Alias")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion())
                .build();
    }
}
