package io.twinflow.local.tradeoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinflow.core.error.UserMistakeException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTableTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theRepositorysFileHasEveryPriceAndLimitWithItsSource() {
        PriceTable table = PriceTable.bundled();

        assertThat(table.region()).isEqualTo("us-east-1");
        for (String key : PriceTable.PRICE_KEYS) {
            assertThat(table.prices().get(key).source()).as(key).startsWith("https://");
        }
        assertThat(table.limit(PriceTable.SHARD_RECORDS_PER_SECOND)).isEqualTo(1000);
        assertThat(table.toMap()).containsKeys("region", "asOf", "usd", "limits");
    }

    @Test
    void aFileOfTheSameShapeReplacesIt() throws Exception {
        ObjectNode root = bundledJson();
        ((ObjectNode) root.get("prices").get(PriceTable.GLUE_DPU_HOUR)).put("usd", 0.5);
        root.put("region", "eu-west-1");

        PriceTable table = PriceTable.load(write(root));

        assertThat(table.region()).isEqualTo("eu-west-1");
        assertThat(table.price(PriceTable.GLUE_DPU_HOUR)).isEqualTo(0.5);
    }

    @Test
    void aMissingPriceIsRefusedWithItsName() throws Exception {
        ObjectNode root = bundledJson();
        ((ObjectNode) root.get("prices")).remove(PriceTable.GLUE_DPU_HOUR);

        assertThatThrownBy(() -> PriceTable.load(write(root))).isInstanceOf(UserMistakeException.class)
                .hasMessageContaining("missing field prices.glueDpuHour").hasMessageNotContaining("\n");
    }

    @Test
    void aNegativeOrTextualPriceAMissingSourceAndABadDateAreRefused() throws Exception {
        ObjectNode negative = bundledJson();
        ((ObjectNode) negative.get("prices").get(PriceTable.SQS_REQUESTS_MILLION)).put("usd", -1);
        assertThatThrownBy(() -> PriceTable.load(write(negative))).hasMessageContaining("prices.sqsRequestsMillion.usd must be a number >= 0");

        ObjectNode noSource = bundledJson();
        ((ObjectNode) noSource.get("limits").get(PriceTable.LAMBDA_CONCURRENCY)).remove("source");
        assertThatThrownBy(() -> PriceTable.load(write(noSource))).hasMessageContaining("missing field limits.lambdaConcurrency.source");

        ObjectNode badDate = bundledJson();
        badDate.put("asOf", "last week");
        assertThatThrownBy(() -> PriceTable.load(write(badDate))).hasMessageContaining("asOf must be a date");
    }

    @Test
    void aFileThatIsNotJsonOrNotThereIsAUserMistake() throws Exception {
        Path notJson = Files.writeString(dir.resolve("prices.json"), "region: us-east-1");
        assertThatThrownBy(() -> PriceTable.load(notJson)).isInstanceOf(UserMistakeException.class)
                .hasMessageStartingWith("cannot read prices file");
        assertThatThrownBy(() -> PriceTable.load(dir.resolve("absent.json"))).isInstanceOf(UserMistakeException.class);
    }

    private static ObjectNode bundledJson() throws Exception {
        try (InputStream in = PriceTable.class.getResourceAsStream(PriceTable.BUNDLED)) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    private Path write(ObjectNode root) throws Exception {
        return Files.writeString(dir.resolve("prices-" + System.nanoTime() + ".json"), JSON.writeValueAsString(root));
    }
}
