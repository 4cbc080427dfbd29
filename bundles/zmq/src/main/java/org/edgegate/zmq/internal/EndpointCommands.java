package org.edgegate.zmq.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.edgegate.api.health.Health;
import org.edgegate.api.transport.Endpoint;
import org.edgegate.api.transport.EndpointStatistics;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** {@code gw:endpoints}: every transport endpoint with its counters. */
@Component(service = EndpointCommands.class, property = { "osgi.command.scope=gw", "osgi.command.function=endpoints" })
public class EndpointCommands {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<Endpoint> endpoints;

    @Descriptor("list transport endpoints: id, mode, address, status, messages sent, dropped, errors, last error")
    public String endpoints() {
        List<Endpoint> list = new ArrayList<>(endpoints == null ? List.of() : endpoints);
        if (list.isEmpty()) {
            return "no endpoints configured (factory PID " + ZmqEndpoint.PID + ")";
        }
        list.sort(Comparator.comparing(Endpoint::id));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] { "ID", "MODE", "ADDRESS", "STATUS", "SENT", "DROPPED", "ERRORS", "LAST ERROR" });
        for (Endpoint e : list) {
            EndpointStatistics s = e.statistics();
            Health h = e.health();
            rows.add(new String[] { e.id(), e.mode(), e.address(), h.state().name(), Long.toString(s.sent()),
                    Long.toString(s.dropped()), Long.toString(s.errors()), s.lastError() });
            if (h.isProblem() && !h.reason().isEmpty() && !h.reason().startsWith(s.lastError())) {
                rows.add(new String[] { "", "", "", "", "", "", "", "(" + h.reason() + ")" });
            }
        }
        return table(rows);
    }

    static String table(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length - 1; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i < r.length - 1 ? String.format("%-" + width[i] + "s  ", r[i]) : r[i]);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
