package org.edgegate.mqtt.internal.discovery;

import java.util.List;
import java.util.Map;

import org.edgegate.mqtt.internal.Payloads;

/**
 * The Home Assistant entities of one clip rule: an {@code event} entity fired by each of the rule's clips (the
 * message on {@code <prefix>/clip/<rule>}, its JSON the event's attributes: automations trigger on it) and a
 * {@code sensor} showing when the last clip was triggered (device class timestamp, from the retained
 * {@code <prefix>/clip/<rule>/last}; clip, path and frames as its attributes), under the gateway's device. And
 * the gateway's {@code button} "record clip", which writes the clips bundle's {@value #RECORD_KEY}.
 */
final class ClipEntities {
    /** The state key the clips bundle records a manual clip from (docs/clips.md): the contract between the two. */
    static final String RECORD_KEY = "clips/record";
    /** The button's request: every camera, the clips bundle's default seconds. */
    static final String RECORD_PRESS = "{\"seconds\":10}";
    private final HomeAssistant ha;

    ClipEntities(HomeAssistant ha) {
        this.ha = ha;
    }

    /** The rule's config topics. */
    List<String> topics(String rule) {
        return List.of(eventConfigTopic(rule), lastConfigTopic(rule));
    }

    /** The rule's configs by topic. */
    Map<String, byte[]> configs(String rule) {
        return Map.of(eventConfigTopic(rule), eventConfig(rule), lastConfigTopic(rule), lastConfig(rule));
    }

    String eventConfigTopic(String rule) {
        return ha.configTopic("event", rule + "_clip");
    }

    String lastConfigTopic(String rule) {
        return ha.configTopic("sensor", rule + "_last_clip");
    }

    byte[] eventConfig(String rule) {
        return Payloads.json(w -> {
            w.beginObject();
            ha.names(w, rule + " clip", "clip_" + rule, rule + "_clip");
            w.name("state_topic").value(ha.topics().clip(rule));
            w.name("event_types").beginArray().value("clip").endArray();
            w.name("icon").value("mdi:filmstrip");
            ha.common(w);
            w.endObject();
        });
    }

    String recordConfigTopic() {
        return ha.configTopic("button", "record_clip");
    }

    byte[] recordConfig() {
        return Payloads.json(w -> {
            w.beginObject();
            ha.names(w, "record clip", "record_clip", "record_clip");
            w.name("command_topic").value(ha.topics().stateSet(RECORD_KEY));
            w.name("payload_press").value(RECORD_PRESS);
            w.name("icon").value("mdi:record-rec");
            ha.common(w);
            w.endObject();
        });
    }

    byte[] lastConfig(String rule) {
        String topic = ha.topics().clipLast(rule);
        return Payloads.json(w -> {
            w.beginObject();
            ha.names(w, rule + " last clip", "clip_" + rule + "_last", rule + "_last_clip");
            w.name("state_topic").value(topic);
            w.name("value_template").value("{{ value_json.time }}");
            w.name("device_class").value("timestamp");
            w.name("json_attributes_topic").value(topic);
            w.name("icon").value("mdi:filmstrip-box");
            ha.common(w);
            w.endObject();
        });
    }
}
