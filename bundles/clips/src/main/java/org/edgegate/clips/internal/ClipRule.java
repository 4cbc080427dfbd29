package org.edgegate.clips.internal;

import java.util.Map;

import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.health.Ids;
import org.edgegate.api.health.Monitored;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One clip rule (factory PID {@value RuleConfig#PID}): its checked settings handed to the {@link ClipRecorder}.
 * A change of the configuration restarts the component, so a changed rule takes effect at once; a rule that does
 * not check (a condition that does not parse: the position is in the reason) is FAILED in gw:status.
 */
@Component(name = RuleConfig.PID, configurationPid = RuleConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = { Monitored.class, ClipRule.class })
@Designate(ocd = RuleConfig.class, factory = true)
public class ClipRule implements Monitored {
    @Reference(service = LoggerFactory.class)
    private Logger log;

    @Reference
    private ClipRecorder recorder;

    private String id = "";
    private volatile Health failure;
    private RuleState state;
    private final Health since = Health.of(HealthState.OPEN, "");

    @Activate
    void activate(RuleConfig config, Map<String, Object> properties) {
        apply(config, properties);
    }

    /**
     * A changed configuration replaces the rule at once; one that checks to the same settings (File Install
     * writing back what it read, a property only it uses) keeps the rule's state, so no crossing is lost.
     */
    @Modified
    void modified(RuleConfig config, Map<String, Object> properties) {
        if (state != null) {
            try {
                if (RuleSettings.from(config, properties).equals(state.settings())) {
                    return;
                }
            } catch (IllegalArgumentException e) {
                // applied below, which says why
            }
        }
        deactivate();
        state = null;
        failure = null;
        apply(config, properties);
    }

    private void apply(RuleConfig config, Map<String, Object> properties) {
        RuleSettings s;
        try {
            s = RuleSettings.from(config, properties);
        } catch (IllegalArgumentException e) {
            Object raw = properties.get("id");
            id = raw == null ? String.valueOf(properties.getOrDefault("service.pid", "?")) : Ids.quote(String.valueOf(raw));
            failure = Health.of(HealthState.FAILED, e.getMessage());
            log.error("clip rule {} not started: {}", id, e.getMessage());
            return;
        }
        id = s.id();
        RuleState r = new RuleState(s);
        String problem = recorder.add(r);
        if (problem != null) {
            failure = Health.of(HealthState.FAILED, problem);
            log.error("clip rule {} not started: {}", id, problem);
            return;
        }
        state = r;
        recorder.retainNow(id);
        log.info("clip rule {}: when {}, cameras {}, {} s before, {} s after", id, s.when().text(),
                s.cameras().isEmpty() ? "all" : String.join(", ", s.cameras()), s.before(), s.after());
    }

    @Deactivate
    void deactivate() {
        if (state != null) {
            recorder.remove(state);
        }
    }

    @Override
    public String kind() {
        return "clip rule";
    }

    @Override
    public String id() {
        return id;
    }

    RuleState state() {
        return state;
    }

    @Override
    public Health health() {
        Health f = failure;
        if (f != null || state == null) {
            return f != null ? f : Health.of(HealthState.STARTING, "");
        }
        String summary = recorder.summary(state);
        return new Health(HealthState.OPEN, summary, since.since());
    }
}
