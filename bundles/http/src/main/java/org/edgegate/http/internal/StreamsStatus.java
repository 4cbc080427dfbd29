package org.edgegate.http.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.health.Monitored;
import org.edgegate.config.Secrets;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/** What the MJPEG streams are doing: their line in {@code gw:status} and the {@code gw:streams} command. */
@Component(service = { Monitored.class, StreamsStatus.class }, configurationPid = HttpConfig.PID, property = {
        "osgi.command.scope=gw", "osgi.command.function=streams" })
public class StreamsStatus implements Monitored {
    @Reference
    private Streams streams;

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private volatile StreamLimit limit;
    private volatile boolean tokenSet;

    @Activate
    @Modified
    void configure(HttpConfig c, Map<String, Object> props) {
        limit = StreamLimit.of(c, props);
        if (limit.problem() != null) {
            log.warn("camera streams: {}", limit.problem());
        }
        Object legacy = props.get(HttpConfig.LEGACY_TOKEN);
        boolean legacySet = legacy != null && !String.valueOf(legacy).isBlank();
        tokenSet = !c._token().isBlank() || legacySet;
        if (legacySet && c._token().isBlank()) {
            log.warn(Secrets.deprecation(HttpConfig.LEGACY_TOKEN, HttpConfig.PID));
        }
    }

    @Descriptor("list the MJPEG clients: camera, client address, fps cap, frames sent and skipped, last frame, since")
    public String streams() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-12s %-22s %6s %9s %9s %9s  %s%n",
                "CAMERA", "CLIENT", "FPS CAP", "SENT", "SKIPPED", "LAST", "SINCE"));
        List<StreamClient> all = streams.all();
        all.sort(Comparator.comparing((StreamClient c) -> c.cameraId).thenComparing(c -> c.since));
        for (StreamClient c : all) {
            b.append(String.format(Locale.ROOT, "%-12s %-22s %6s %9d %9d %9d  %s%n", c.cameraId, c.remote,
                    c.fpsCap > 0 ? String.format(Locale.ROOT, "%.1f", c.fpsCap) : "-", c.sent(), c.skipped(),
                    c.lastSequence(), c.since));
        }
        if (all.isEmpty()) {
            b.append("(no MJPEG clients; streams are at ").append(CameraServlet.PATH).append("<camera id>/stream.mjpg)\n");
        }
        return b.append(health().reason()).append('\n').toString();
    }

    @Override
    public String kind() {
        return "http";
    }

    @Override
    public String id() {
        return "camera-streams";
    }

    @Override
    public Health health() {
        StreamLimit l = limit;
        return Health.of(HealthState.OPEN, String.format(Locale.ROOT, "%d of at most %d MJPEG streams open, %d served; %s%s",
                streams.count(), l.max(), streams.served(), !tokenSet ? "Web Console login"
                        : "Web Console login or token", l.problem() == null ? "" : "; " + l.problem()));
    }
}
