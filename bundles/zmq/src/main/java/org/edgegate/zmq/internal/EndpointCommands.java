package org.edgegate.zmq.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.edgegate.api.health.Health;
import org.edgegate.api.transport.Endpoint;
import org.edgegate.api.transport.EndpointStatistics;
import org.edgegate.commands.Json;
import org.edgegate.commands.Text;
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
        return Json.object(
                "id", e.id(),
                "mode", e.mode(),
                "address", e.address(),
                "state", e.health().state().name(),
                "reason", e.health().reason(),
                "sent", s.sent(),
                "dropped", s.dropped(),
                "errors", s.errors(),
                "lastError", s.lastError());
    }
}
