package io.twinflow.dashboard;

import java.util.Map;

/**
 * Where the dashboard reads live data: the live API's routes ({@code GET /v1/devices?limit&cursor},
 * {@code /v1/devices/{id}}, {@code /v1/devices/{id}/windows?from&to}, {@code /v1/alerts?since&deviceId}) and
 * their JSON shapes. The page only ever sees those shapes, so whatever serves them can stand behind this seam.
 */
public interface LiveSource {

    /** A route's answer: an HTTP status and its JSON body. */
    record Reply(int status, String json) {
    }

    /**
     * Answers one GET.
     *
     * @param path  the route, e.g. {@code /v1/devices/sensor-0001/windows}
     * @param query the decoded query parameters
     */
    Reply get(String path, Map<String, String> query);
}
