package io.twinflow.dashboard;

import java.util.Map;

/**
 * Where the dashboard reads live data: the live API's routes ({@code GET /v1/devices?limit&cursor},
 * {@code /v1/devices/{id}}, {@code /v1/devices/{id}/windows?from&to}, {@code /v1/alerts?since&deviceId}) and
 * their JSON shapes. {@link Dashboard} answers them with live's {@code LiveApi}, the router of the deployed API; the
 * seam lets a test count what one open page reads.
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
