package io.twinflow.core.event;

/** A WGS84 position. */
public record Location(double lat, double lon) {
}
