package org.edgegate.metrics.internal;

import java.util.Collection;
import java.util.List;



import org.edgegate.api.camera.Camera;
import org.edgegate.api.camera.CameraStatistics;
import org.edgegate.api.camera.JpegPath;
import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.health.Monitored;
import org.edgegate.api.sensor.Sensor;
import org.edgegate.api.sensor.SensorStatistics;
import org.edgegate.api.state.StateService;
import org.edgegate.api.transport.Endpoint;
import org.edgegate.api.transport.EndpointStatistics;

/**
 * The gateway's own metrics, read from its services at scrape time: health of everything
 * {@link Monitored}, sensors, cameras, endpoints and the shared state. Each item is read in its own try:
 * one failing service loses its samples, not the scrape (and is counted in
 * {@code edgegate_metrics_read_errors_total}).
 */
final class GatewayMetrics {
    private GatewayMetrics() {
    }

    /** What one scrape reads; lists may be empty, state may be null. */
    record Sources(Collection<? extends Monitored> monitored, Collection<? extends Sensor> sensors,
            Collection<? extends Camera> cameras, Collection<? extends Endpoint> endpoints, StateService state,
            long stateChanges) {
    }

    static void collect(Registry r, Sources s, long[] readErrors) {
        health(r, s.monitored(), readErrors);
        sensors(r, s.sensors(), readErrors);
        cameras(r, s.cameras(), readErrors);
        endpoints(r, s.endpoints(), readErrors);
        state(r, s.state(), s.stateChanges(), readErrors);
    }

    static void health(Registry r, Collection<? extends Monitored> items, long[] errors) {
        Registry.Family up = r.gauge("edgegate_up", "1 when the sensor, camera, endpoint... is open and working, else 0");
        Registry.Family state = r.gauge("edgegate_health_state",
                "Health state of each monitored part: 1 for the state it is in, 0 for the others");
        for (Monitored m : list(items)) {
            guarded(errors, () -> {
                String kind = m.kind();
                String id = m.id();
                Health h = m.health();
                up.add(h.state() == HealthState.OPEN, "kind", kind, "id", id);
                for (HealthState st : HealthState.values()) {
                    state.add(h.state() == st, "kind", kind, "id", id, "state", st.name());
                }
            });
        }
    }

    static void sensors(Registry r, Collection<? extends Sensor> sensors, long[] errors) {
        Registry.Family lines = r.counter("edgegate_sensor_lines_total", "Lines read from the sensor's port");
        Registry.Family bytes = r.counter("edgegate_sensor_read_bytes_total", "Bytes read from the sensor's port");
        Registry.Family parseErrors = r.counter("edgegate_sensor_parse_errors_total",
                "Lines the sensor's parser rejected");
        Registry.Family dropped = r.counter("edgegate_sensor_dropped_lines_total",
                "Lines dropped (too long, or no parser to read them)");
        Registry.Family reconnects = r.counter("edgegate_sensor_reconnects_total",
                "Times the port was lost and reopened");
        Registry.Family rate = r.gauge("edgegate_sensor_lines_per_second", "Lines per second, recently");
        Registry.Family lastSeen = r.gauge("edgegate_sensor_last_seen_timestamp_seconds",
                "When the sensor's last line arrived (Unix time)");
        Registry.Family value = r.gauge("edgegate_sensor_value",
                "The last numeric value of each channel of the sensor, in the channel's unit");
        for (Sensor s : list(sensors)) {
            guarded(errors, () -> {
                String id = s.id();
                SensorStatistics st = s.statistics();
                lines.add(st.lines(), "sensor", id);
                bytes.add(st.bytes(), "sensor", id);
                parseErrors.add(st.parseErrors(), "sensor", id);
                dropped.add(st.droppedLines(), "sensor", id);
                reconnects.add(st.reconnects(), "sensor", id);
                rate.add(st.linesPerSecond(), "sensor", id);
                if (st.lastSeen() != null) {
                    lastSeen.add(st.lastSeen().toEpochMilli() / 1000.0, "sensor", id);
                }
                s.lastReading().ifPresent(reading -> reading.values().forEach((channel, v) -> {
                    if (v instanceof Number n) {
                        value.add(n.doubleValue(), "sensor", id, "channel", channel,
                                "unit", reading.units().getOrDefault(channel, ""));
                    }
                }));
            });
        }
    }

    static void cameras(Registry r, Collection<? extends Camera> cameras, long[] errors) {
        Registry.Family frames = r.counter("edgegate_camera_frames_total", "Frames captured");
        Registry.Family dropped = r.counter("edgegate_camera_dropped_frames_total",
                "Frames lost: capture failures and frames replaced before anyone took them");
        Registry.Family fps = r.gauge("edgegate_camera_frames_per_second", "Frames per second, measured");
        Registry.Family encode = r.gauge("edgegate_camera_encode_seconds",
                "Mean time to JPEG-encode one frame (0 when frames arrive as JPEG)");
        Registry.Family running = r.gauge("edgegate_camera_running", "1 while capture is started, 0 when stopped");
        Registry.Family info = r.gauge("edgegate_camera_info",
                "The camera's source, frame size and JPEG path (passthrough, encode, unknown) with its codec, as labels");
        for (Camera c : list(cameras)) {
            guarded(errors, () -> {
                String id = c.id();
                CameraStatistics st = c.statistics();
                frames.add(st.frames(), "camera", id);
                dropped.add(st.dropped(), "camera", id);
                fps.add(st.fps(), "camera", id);
                encode.add(st.meanEncodeMillis() / 1000.0, "camera", id);
                running.add(c.isRunning(), "camera", id);
                JpegPath path = c.jpegPath();
                info.add(1, "camera", id, "source", c.source(), "size", st.width() + "x" + st.height(),
                        "jpeg_path", path.mode().name().toLowerCase(java.util.Locale.ROOT), "codec", path.codec());
            });
        }
    }

    static void endpoints(Registry r, Collection<? extends Endpoint> endpoints, long[] errors) {
        Registry.Family sent = r.counter("edgegate_endpoint_sent_messages_total", "Messages sent");
        Registry.Family dropped = r.counter("edgegate_endpoint_dropped_messages_total",
                "Messages dropped because the receiver was slow or absent");
        Registry.Family failures = r.counter("edgegate_endpoint_errors_total", "Errors while sending");
        Registry.Family info = r.gauge("edgegate_endpoint_info", "The endpoint's mode and address, as labels");
        for (Endpoint e : list(endpoints)) {
            guarded(errors, () -> {
                String id = e.id();
                EndpointStatistics st = e.statistics();
                sent.add(st.sent(), "endpoint", id);
                dropped.add(st.dropped(), "endpoint", id);
                failures.add(st.errors(), "endpoint", id);
                info.add(1, "endpoint", id, "mode", e.mode(), "address", e.address());
            });
        }
    }

    static void state(Registry r, StateService state, long changes, long[] errors) {
        r.counter("edgegate_state_changes_total",
                "Changes of the shared state delivered to listeners since the metrics bundle started "
                        + "(a burst on one key may be delivered as its latest change)").add(changes);
        if (state != null) {
            guarded(errors, () -> r.gauge("edgegate_state_entries", "Entries in the shared state")
                    .add(state.snapshot("").size()));
        }
    }

    private static <T> List<T> list(Collection<T> items) {
        return items == null ? List.of() : List.copyOf(items);
    }

    private static void guarded(long[] errors, Runnable read) {
        try {
            read.run();
        } catch (RuntimeException e) {
            errors[0]++;
        }
    }

}
