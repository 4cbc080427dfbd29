package org.edgegate.shm.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.edgegate.api.health.Health;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** {@code gw:shm}: every shared-memory publisher, its files and counters. */
@Component(service = ShmCommands.class, property = { "osgi.command.scope=gw", "osgi.command.function=shm" })
public class ShmCommands {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<ShmPublisher> publishers;

    @Descriptor("list shared-memory frame files: per publisher and camera the file, frame size, frames and "
            + "bytes written, files made (generations), errors, gateway CPU per frame; readers are invisible by design")
    public String shm() {
        List<ShmPublisher> list = new ArrayList<>(publishers == null ? List.of() : publishers);
        if (list.isEmpty()) {
            return "no shared-memory publishers configured (factory PID " + ShmPublisher.PID + ")\n";
        }
        list.sort(Comparator.comparing(ShmPublisher::id));
        StringBuilder out = new StringBuilder();
        for (ShmPublisher p : list) {
            Health h = p.health();
            ShmPublisher.Settings s = p.settings();
            out.append(String.format(Locale.ROOT, "%s  %s%s%n", p.id(), h.state(),
                    h.reason().isEmpty() ? "" : " (" + h.reason() + ")"));
            if (s == null) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "  %s, %s, %d slots, mode %s%s%n",
                    s.cameras().isEmpty() ? "every camera" : String.join(", ", s.cameras()), s.format().key(),
                    s.slots(), s.permissions().text(), s.checksum() ? ", CRC-32 per frame" : ""));
            for (ShmPublisher.Row r : p.rows()) {
                out.append(String.format(Locale.ROOT, "  %-12s %s%n", r.camera(), r.open()
                        ? r.path() + "  " + r.width() + "x" + r.height() + " " + s.format().key() + ", "
                                + String.format(Locale.ROOT, "%.1f MB", r.fileBytes() / 1e6)
                        : "(no file)"));
                out.append(String.format(Locale.ROOT, "  %-12s %d frames, %.1f MB written, %d file%s made, %d "
                        + "error%s, %.1f us CPU per frame%n", "", r.frames(), r.bytes() / 1e6, r.generations(),
                        r.generations() == 1 ? "" : "s", r.errors(), r.errors() == 1 ? "" : "s",
                        r.cpuMicrosPerFrame()));
                if (!r.lastError().isEmpty()) {
                    out.append(String.format(Locale.ROOT, "  %-12s last error: %s%n", "", r.lastError()));
                }
            }
        }
        return out.append("Readers are not listed: they map the files read-only and are invisible to the gateway "
                + "by design (none can slow or block it).\n").toString();
    }
}
