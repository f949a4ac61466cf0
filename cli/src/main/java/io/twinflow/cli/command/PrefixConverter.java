package io.twinflow.cli.command;

import io.twinflow.core.pipeline.PipelineSpec;
import picocli.CommandLine;

/** Checks a --prefix against {@link PipelineSpec}'s naming rule when the command line is read. */
final class PrefixConverter implements CommandLine.ITypeConverter<String> {

    @Override
    public String convert(String value) {
        try {
            PipelineSpec.withPrefix(value);
        } catch (IllegalArgumentException broken) {
            // The message states the rule; picocli adds which option it was.
            throw new CommandLine.TypeConversionException(broken.getMessage());
        }
        return value;
    }
}
