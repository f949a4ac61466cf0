package io.twinflow.cli.command;

import io.twinflow.core.error.UserMistakeException;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.core.settings.FunctionEnvironment;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * The environment variables that give the target options their defaults, and the one rule they follow: a flag wins
 * over its variable, the variable over the built-in default. {@code TWINFLOW_TARGET} and {@code TWINFLOW_PREFIX} are
 * Twinflow's own; {@code AWS_PROFILE} and {@code AWS_REGION} are the ones the aws CLI and the SDKs read. A variable set
 * to blanks counts as unset.
 */
final class CliEnvironment {

    static final String TARGET = "TWINFLOW_TARGET";
    static final String PREFIX = FunctionEnvironment.PREFIX;
    static final String REGION = FunctionEnvironment.REGION;
    static final String PROFILE = "AWS_PROFILE";

    private final Function<String, String> env;

    /** @param env the variables by name (tests pass a map's {@code get}) */
    CliEnvironment(Function<String, String> env) {
        this.env = env;
    }

    static CliEnvironment system() {
        return new CliEnvironment(System::getenv);
    }

    TargetOptions.Target target(TargetOptions.Target flag) {
        if (flag != null) {
            return flag;
        }
        return value(TARGET).map(name -> {
            try {
                return TargetOptions.Target.valueOf(name.strip().toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                throw new UserMistakeException(TARGET + "=" + name + " is not a target: set it to "
                        + Arrays.stream(TargetOptions.Target.values()).map(Enum::name).collect(Collectors.joining(", ")) + ", or unset it",
                        unknown);
            }
        }).orElse(TargetOptions.Target.local);
    }

    /** The resource prefix, checked against the pipeline's naming rule like {@code --prefix}. */
    String prefix(String flag) {
        if (flag != null) {
            return flag;
        }
        return value(PREFIX).map(name -> {
            try {
                return new PrefixConverter().convert(name);
            } catch (CommandLine.TypeConversionException broken) {
                throw new UserMistakeException(PREFIX + "=" + name + ": " + broken.getMessage() + "; fix or unset it", broken);
            }
        }).orElse(PipelineSpec.DEFAULT_PREFIX);
    }

    /** The region given, else {@code AWS_REGION}; empty: the caller's default. */
    Optional<String> region(String flag) {
        return flag != null ? Optional.of(flag) : value(REGION);
    }

    /** The profile given, else {@code AWS_PROFILE}; empty: the SDK's default profile. */
    Optional<String> profile(String flag) {
        return flag != null ? Optional.of(flag) : value(PROFILE);
    }

    private Optional<String> value(String name) {
        return Optional.ofNullable(env.apply(name)).filter(v -> !v.isBlank());
    }
}
