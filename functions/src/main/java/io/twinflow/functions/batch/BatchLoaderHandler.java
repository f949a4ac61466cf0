package io.twinflow.functions.batch;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.functions.AwsClients;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.warehouse.LoadRules;
import io.twinflow.warehouse.Warehouse;
import io.twinflow.warehouse.redshift.RedshiftDataApiSettings;
import io.twinflow.warehouse.redshift.RedshiftDataApiWarehouse;
import java.time.Clock;
import java.util.Map;

/**
 * The scheduled batch-loader Lambda. Its input is whatever the schedule sends (an EventBridge
 * "Scheduled Event" or EventBridge Scheduler's JSON input): it is not needed, because the loader
 * always works from the load log. Thin: delegates to {@link BatchLoader}, logs and returns the report.
 */
public class BatchLoaderHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final BatchLoader loader;

    /** Used by the Lambda runtime: settings from the environment. */
    public BatchLoaderHandler() {
        this(FunctionSettings.fromEnvironment());
    }

    private BatchLoaderHandler(FunctionSettings settings) {
        this(new BatchLoader(redshift(settings, settings.redshift().orElseThrow(() ->
                        new IllegalStateException("the batch loader needs TWINFLOW_REDSHIFT_DATABASE and the other TWINFLOW_REDSHIFT_* variables"))),
                AwsClients.s3(settings),
                settings.rawBucket(), settings.spec().buckets().rawPrefix(), settings.loaderLookbackDays(), Clock.systemUTC()));
    }

    BatchLoaderHandler(BatchLoader loader) {
        this.loader = loader;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        LoaderReport report = loader.run(context == null ? () -> Long.MAX_VALUE : context::getRemainingTimeInMillis, outcome -> { });
        Map<String, Object> result = report.toMap();
        String line;
        try {
            line = JSON.writeValueAsString(report.toLogLine());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report is always serialisable", e);
        }
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(line + "\n");
        } else {
            System.out.println(line);
        }
        return result;
    }

    private static Warehouse redshift(FunctionSettings settings, RedshiftDataApiSettings redshift) {
        // The stream's limits and window size: the same bytes get the same verdict on both paths.
        return new RedshiftDataApiWarehouse(AwsClients.redshiftData(settings), AwsClients.s3(settings), redshift,
                settings.spec().warehouse().schema(), LoadRules.of(settings.decoderLimits(), settings.windows()));
    }
}
