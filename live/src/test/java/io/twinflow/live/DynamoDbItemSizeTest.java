package io.twinflow.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoDbItemSizeTest {

    @Test
    void countsNamesAndStringsInUtf8Bytes() {
        assertThat(DynamoDbItemSize.of(Map.of("id", AttributeValue.fromS("abc")))).isEqualTo(5);
        assertThat(DynamoDbItemSize.of(Map.of("é", AttributeValue.fromS("é€")))).isEqualTo(2 + 5);
    }

    @Test
    void sizesNumbersByTheirSignificantDigits() {
        assertThat(DynamoDbItemSize.of(AttributeValue.fromN("0"))).isEqualTo(2);
        assertThat(DynamoDbItemSize.of(AttributeValue.fromN("21.5"))).isEqualTo(3);
        assertThat(DynamoDbItemSize.of(AttributeValue.fromN("1200"))).isEqualTo(2);
        assertThat(DynamoDbItemSize.of(AttributeValue.fromN("0.000123456"))).isEqualTo(4);
    }

    @Test
    void addsThreeBytesPerMapAndOnePerEntry() {
        AttributeValue metrics = AttributeValue.fromM(Map.of("t", AttributeValue.fromN("1"), "h", AttributeValue.fromS("x")));

        assertThat(DynamoDbItemSize.of(Map.of("m", metrics))).isEqualTo(1 + 3 + 2 + (1 + 2) + (1 + 1));
    }

    @Test
    void chargesOneWriteUnitPerStartedKilobyte() {
        assertThat(DynamoDbItemSize.writeUnits(Map.of("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[1023]))))).isEqualTo(1);
        assertThat(DynamoDbItemSize.writeUnits(Map.of("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[1024]))))).isEqualTo(2);
    }
}
