package io.twinflow.functions.batch;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.twinflow.functions.AwsClients;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.functions.SummaryLog;
import io.twinflow.warehouse.LoadRules;
import io.twinflow.warehouse.Warehouse;
import io.twinflow.warehouse.redshift.RedshiftDataApiSettings;
import io.twinflow.warehouse.redshift.RedshiftDataApiWarehouse;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The scheduled batch-loader Lambda. Its input is whatever the schedule sends (an EventBridge
 * "Scheduled Event" or EventBridge Scheduler's JSON input): it is not needed, because the loader
 * always works from the load log. Thin: delegates to {@link BatchLoader}, logs and returns the report.
 */
public class BatchLoaderHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private final BatchLoader loader;
    private final SummaryLog log;
    /** The stack's resource prefix: the {@code stack} of the summary line's metrics. */
    private final String stack;

    /** Used by the Lambda runtime: settings from the environment, the warehouse on Redshift's Data API. */
    public BatchLoaderHandler() {
        this(builder());
    }

    private BatchLoaderHandler(Builder builder) {
        FunctionSettings settings = builder.settings != null ? builder.settings : FunctionSettings.fromEnvironment();
        S3Client s3 = builder.s3 != null ? builder.s3 : AwsClients.s3(settings);
        Warehouse warehouse = builder.warehouse != null ? builder.warehouse : redshift(settings, s3);
        this.loader = new BatchLoader(warehouse, s3, settings.rawBucket(), settings.spec().buckets().rawPrefix(),
                settings.loaderLookbackDays(), builder.clock);
        this.log = new SummaryLog(builder.summaryOutput);
        this.stack = settings.spec().prefix();
    }

    /**
     * A handler wired as for Lambda from the parts given, for tests (e.g. a warehouse on PostgreSQL and an
     * S3 server). Each part left out is built as the Lambda runtime's handler builds it.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** See {@link #builder()}. */
    public static final class Builder {
        private FunctionSettings settings;
        private Warehouse warehouse;
        private S3Client s3;
        private Clock clock = Clock.systemUTC();
        private PrintStream summaryOutput = System.out;

        private Builder() {
        }

        /** Default: {@link FunctionSettings#fromEnvironment()}. */
        public Builder settings(FunctionSettings settings) {
            this.settings = settings;
            return this;
        }

        /** Default: Redshift through the Data API, from the settings' {@code TWINFLOW_REDSHIFT_*}. */
        public Builder warehouse(Warehouse warehouse) {
            this.warehouse = warehouse;
            return this;
        }

        /** Default: {@link AwsClients#s3(FunctionSettings)}. */
        public Builder s3(S3Client s3) {
            this.s3 = s3;
            return this;
        }

        /** What "today" is for the loader's lookback. Default: the system clock, UTC. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Where the loader summary line goes when an invocation has no Lambda logger. Default: standard output. */
        public Builder summaryOutput(PrintStream summaryOutput) {
            this.summaryOutput = summaryOutput;
            return this;
        }

        public BatchLoaderHandler build() {
            return new BatchLoaderHandler(this);
        }
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        LoaderReport report = loader.run(context == null ? () -> Long.MAX_VALUE : context::getRemainingTimeInMillis, outcome -> { });
        log.write(report.toLogLine(stack), context);
        return report.toMap();
    }

    private static Warehouse redshift(FunctionSettings settings, S3Client s3) {
        RedshiftDataApiSettings redshift = settings.redshift().orElseThrow(() -> new IllegalStateException(
                "the batch loader needs TWINFLOW_REDSHIFT_DATABASE and the other TWINFLOW_REDSHIFT_* variables"));
        // The stream's limits and window size: the same bytes get the same verdict on both paths.
        return new RedshiftDataApiWarehouse(AwsClients.redshiftData(settings), s3, redshift,
                settings.spec().warehouse().schema(), LoadRules.of(settings.decoderLimits(), settings.windows()));
    }
}
