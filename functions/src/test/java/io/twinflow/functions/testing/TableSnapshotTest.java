package io.twinflow.functions.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class TableSnapshotTest {

    @Test
    void theSameItemReadInAnotherOrderHasTheSameCanonicalText() {
        Map<String, AttributeValue> one = new LinkedHashMap<>();
        one.put("deviceId", AttributeValue.fromS("dev-1"));
        one.put("metrics", AttributeValue.fromM(Map.of("a", AttributeValue.fromN("1"), "b", AttributeValue.fromN("2"))));
        one.put("tags", AttributeValue.fromSs(List.of("x", "y")));
        Map<String, AttributeValue> other = new LinkedHashMap<>();
        other.put("tags", AttributeValue.fromSs(List.of("y", "x")));
        other.put("metrics", AttributeValue.fromM(Map.of("b", AttributeValue.fromN("2"), "a", AttributeValue.fromN("1"))));
        other.put("deviceId", AttributeValue.fromS("dev-1"));

        assertThat(TableSnapshot.canonical(one, Set.of())).isEqualTo(TableSnapshot.canonical(other, Set.of()));
    }

    @Test
    void valuesOfDifferentTypesNeverLookAlike() {
        assertThat(TableSnapshot.canonical(Map.of("v", AttributeValue.fromN("1")), Set.of()))
                .isNotEqualTo(TableSnapshot.canonical(Map.of("v", AttributeValue.fromS("1")), Set.of()));
        assertThat(TableSnapshot.canonical(Map.of("v", AttributeValue.fromB(SdkBytes.fromUtf8String("1"))), Set.of()))
                .isNotEqualTo(TableSnapshot.canonical(Map.of("v", AttributeValue.fromS("1")), Set.of()));
        assertThat(TableSnapshot.canonical(Map.of("v", AttributeValue.fromL(List.of(AttributeValue.fromN("1")))), Set.of()))
                .isNotEqualTo(TableSnapshot.canonical(Map.of("v", AttributeValue.fromNs(List.of("1"))), Set.of()));
    }

    @Test
    void ignoredAttributesAreLeftOut() {
        Map<String, AttributeValue> written = Map.of("deviceId", AttributeValue.fromS("dev-1"), "version", AttributeValue.fromN("1"));
        Map<String, AttributeValue> rewritten = Map.of("deviceId", AttributeValue.fromS("dev-1"), "version", AttributeValue.fromN("4"));

        assertThat(TableSnapshot.canonical(written, Set.of("version"))).isEqualTo(TableSnapshot.canonical(rewritten, Set.of("version")));
        assertThat(TableSnapshot.canonical(written, Set.of())).isNotEqualTo(TableSnapshot.canonical(rewritten, Set.of()));
    }
}
