package org.edgegate.api.transport;

/** Counters of one endpoint: messages sent, dropped (receiver slow or absent) and errors. */
public record EndpointStatistics(long sent, long dropped, long errors, String lastError) {
}
