package org.edgegate.shell.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.felix.service.command.Descriptor;
import org.edgegate.api.health.Health;
import org.edgegate.api.health.Monitored;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * {@code gw:status}: the gateway at a glance: its bundles, every sensor, camera and endpoint with its
 * health, and the components that cannot run and why.
 */
@Component(service = StatusCommand.class, property = {
        "osgi.command.scope=gw",
        "osgi.command.function=status" })
public class StatusCommand {
    static final String GATEWAY_BUNDLE_PREFIX = "org.edgegate.";
    /** A health reason that starts so is listed under Warnings (and "All OK" is not printed). */
    static final String WARNING = "warning: ";
    /**
     * The manifest header every EdgeGate bundle carries: the kernel and API version it was built against
     * (bundles/pom.xml). A bundle that embeds another kernel may run with its own rules (a login, a wire format).
     */
    static final String KERNEL_HEADER = "EdgeGate-Kernel";

    @Reference
    private ServiceComponentRuntime scr;

    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    @Descriptor("show the gateway's bundles, the health of every sensor, camera and endpoint, and failed components")
    public String status() {
        StringBuilder out = new StringBuilder();
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        bundles(out, problems);
        health(out, problems, warnings);
        components(problems);
        kernels(warnings);
        if (!warnings.isEmpty()) {
            out.append("\nWarnings:\n  ").append(String.join("\n  ", warnings));
        }
        if (!problems.isEmpty()) {
            out.append("\nProblems:\n  ").append(String.join("\n  ", problems));
        } else if (warnings.isEmpty()) {
            out.append("\nAll OK");
        }
        return out.toString();
    }

    private void bundles(StringBuilder out, List<String> problems) {
        Bundle[] all = context.getBundles();
        out.append("Bundles (").append(all.length).append(" installed):\n");
        for (Bundle b : all) {
            boolean gateway = b.getSymbolicName() != null && b.getSymbolicName().startsWith(GATEWAY_BUNDLE_PREFIX);
            boolean fragment = b.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
            boolean inactive = b.getState() != Bundle.ACTIVE && !fragment;
            if (gateway) {
                out.append(String.format("  %-28s %-14s %s%n", b.getSymbolicName(), b.getVersion(), state(b)));
            }
            if (inactive) {
                problems.add("bundle " + b.getSymbolicName() + " [" + b.getBundleId() + "] is " + state(b));
            }
        }
    }

    /** Looks the services up at each call: what is registered now, whatever binding may still be under way. */
    private void health(StringBuilder out, List<String> problems, List<String> warnings) {
        List<ServiceReference<Monitored>> refs;
        try {
            refs = new ArrayList<>(context.getServiceReferences(Monitored.class, null));
        } catch (InvalidSyntaxException cannotHappen) {
            throw new IllegalStateException(cannotHappen);
        }
        try {
            health(out, problems, warnings, refs.stream().map(context::getService).filter(m -> m != null).toList());
        } finally {
            refs.forEach(context::ungetService);
        }
    }

    private void health(StringBuilder out, List<String> problems, List<String> warnings, List<Monitored> monitored) {
        if (monitored.isEmpty()) {
            out.append("No sensors, cameras or endpoints configured.\n");
            return;
        }
        List<Monitored> sorted = new ArrayList<>(monitored);
        sorted.sort(Comparator.comparing(Monitored::kind).thenComparing(Monitored::id));
        out.append(String.format("%n%-9s %-16s %-13s %-8s %s%n", "KIND", "ID", "STATE", "SINCE", "REASON"));
        Instant now = Instant.now();
        for (Monitored m : sorted) {
            Health h;
            try {
                h = m.health();
            } catch (RuntimeException e) {
                problems.add(m.kind() + " " + m.id() + ": health unavailable: " + e);
                continue;
            }
            out.append(String.format("%-9s %-16s %-13s %-8s %s%n", m.kind(), m.id(), h.state(),
                    ago(Duration.between(h.since(), now)), h.reason()));
            if (h.isProblem()) {
                problems.add(m.kind() + " " + m.id() + " is " + h.state()
                        + (h.reason().isEmpty() ? "" : ": " + h.reason()));
            } else if (h.reason().startsWith(WARNING)) { // a working part near a limit, e.g. the state
                warnings.add(m.kind() + " " + m.id() + ": " + h.reason().substring(WARNING.length()));
            }
        }
    }

    private void components(List<String> problems) {
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                String why = switch (c.state) {
                    case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "waits for " + unsatisfied(c);
                    case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "waits for its configuration";
                    case ComponentConfigurationDTO.FAILED_ACTIVATION -> "failed to activate: " + c.failure;
                    default -> null;
                };
                if (why != null) {
                    problems.add("component " + d.name + " (" + d.bundle.symbolicName + ") " + why);
                }
            }
        }
    }

    /** The running gateway's kernel is the one this bundle was built against: it ships with the runtime. */
    private void kernels(List<String> warnings) {
        Map<String, String> stamps = new TreeMap<>();
        for (Bundle b : context.getBundles()) {
            String stamp = b.getHeaders("").get(KERNEL_HEADER);
            if (stamp != null) {
                stamps.put(b.getSymbolicName() + " " + b.getVersion(), stamp);
            }
        }
        String line = otherKernels(context.getBundle().getHeaders("").get(KERNEL_HEADER), stamps);
        if (line != null) {
            warnings.add(line);
        }
    }

    /** One line naming the bundles stamped with another kernel than {@code running}; null when there are none. */
    static String otherKernels(String running, Map<String, String> stampOfBundle) {
        if (running == null) {
            return null;
        }
        List<String> others = stampOfBundle.entrySet().stream().filter(e -> !running.equals(e.getValue()))
                .map(e -> e.getKey() + " (kernel " + e.getValue() + ")").toList();
        return others.isEmpty() ? null
                : "built against another kernel than this gateway's " + running + ": " + String.join(", ", others);
    }

    private static String unsatisfied(ComponentConfigurationDTO c) {
        List<String> refs = new ArrayList<>();
        for (UnsatisfiedReferenceDTO r : c.unsatisfiedReferences) {
            refs.add(r.name + (r.target != null ? " " + r.target : ""));
        }
        return String.join(", ", refs);
    }

    private static String state(Bundle b) {
        return switch (b.getState()) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED (unresolved)";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }

    static String ago(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) {
            return s + "s";
        } else if (s < 7200) {
            return s / 60 + "m";
        } else if (s < 172800) {
            return s / 3600 + "h";
        }
        return s / 86400 + "d";
    }
}
