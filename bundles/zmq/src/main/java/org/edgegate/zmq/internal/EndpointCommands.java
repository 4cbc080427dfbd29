package org.edgegate.zmq.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.edgegate.api.health.Health;
import org.edgegate.api.transport.Endpoint;
import org.edgegate.api.transport.EndpointStatistics;
import org.edgegate.kernel.text.Json;
import org.edgegate.kernel.text.Text;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** {@code gw:endpoints [--json]}: every transport endpoint with its counters. */
@Component(service = EndpointCommands.class, property = { "osgi.command.scope=gw", "osgi.command.function=endpoints" })
public class EndpointCommands {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<Endpoint> endpoints;

    @Descriptor("list transport endpoints: id, mode, address, status, messages sent, dropped, errors, last error")
    public String endpoints(@Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false")
            @Descriptor("print JSON: one object per endpoint with its health and counters") boolean json) {
        List<Endpoint> list = new ArrayList<>(endpoints == null ? List.of() : endpoints);
        list.sort(Comparator.comparing(Endpoint::id));
        if (json) {
            return Json.write(list.stream().map(EndpointCommands::json).toList());
        }
        if (list.isEmpty()) {
            return "no endpoints configured (factory PID " + ZmqEndpoint.PID + ")";
        }
        Text.Table t = new Text.Table("ID", "MODE", "ADDRESS", "STATUS", "SENT", "DROPPED", "ERRORS", "LAST ERROR");
        for (Endpoint e : list) {
            EndpointStatistics s = e.statistics();
            Health h = e.health();
            t.row(e.id(), e.mode(), e.address(), h.state().name(), s.sent(), s.dropped(), s.errors(), s.lastError());
            if (h.isProblem() && !h.reason().isEmpty() && !h.reason().startsWith(s.lastError())) {
                t.row("", "", "", "", "", "", "", "(" + h.reason() + ")");
            }
        }
        return t.toString();
    }

    private static Map<String, Object> json(Endpoint e) {
        EndpointStatistics s = e.statistics();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("mode", e.mode());
        m.put("address", e.address());
        m.put("state", e.health().state().name());
        m.put("reason", e.health().reason());
        m.put("sent", s.sent());
        m.put("dropped", s.dropped());
        m.put("errors", s.errors());
        m.put("lastError", s.lastError());
        return m;
    }
}
