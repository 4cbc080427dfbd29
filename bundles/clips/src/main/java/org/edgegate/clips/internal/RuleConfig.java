package org.edgegate.clips.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One clip rule (factory PID {@value #PID}); checked into {@link RuleSettings}. */
@ObjectClassDefinition(pid = RuleConfig.PID, name = "EdgeGate clip rule",
        description = "When a condition on the shared state becomes true, keep what the cameras saw before and after "
                + "it as one MJPEG .avi per camera, with the readings and state changes of the window beside it "
                + "(data/clips/<rule>/). Reference: docs/clips.md.")
@interface RuleConfig {
    String PID = "org.edgegate.clips.rule";

    @AttributeDefinition(name = "Id", description = "The rule's id (letters, digits, . _ -); empty: the "
            + "configuration's name. Names the folder data/clips/<id>/.", required = false)
    String id() default "";

    @AttributeDefinition(name = "When", description = "The condition on state keys, e.g. sensor/gas/smoke >= 400 or "
            + "sensor/th/temperature > 30. Comparisons < <= > >= == != on numbers, == != on 'texts' and true/false, "
            + "and, or, not, parentheses; at most 1000 characters. A clip starts when it becomes true.")
    String when();

    @AttributeDefinition(name = "Cameras", description = "Camera ids to record (comma-separated in a .cfg file); "
            + "empty: every camera.", required = false)
    String[] cameras() default {};

    @AttributeDefinition(name = "Before (s)", description = "Seconds kept before the condition became true, 0 to 300.",
            min = "0", max = "300")
    int before() default 10;

    @AttributeDefinition(name = "After (s)", description = "Seconds recorded after the condition was last true, "
            + "0 to 300.", min = "0", max = "300")
    int after() default 10;

    @AttributeDefinition(name = "Cooldown (s)", description = "Seconds after a clip's start before this rule can "
            + "start another one, 0 to 86400.", min = "0", max = "86400")
    int cooldown() default 60;

    @AttributeDefinition(name = "Buffer per camera (MiB)", description = "The most memory the pre-roll of one camera "
            + "may hold, 1 to 1024; the oldest frames give way first. A camera used by several rules keeps the "
            + "largest of their buffers.", min = "1", max = "1024")
    int buffer_maxMiB() default 64;

    @AttributeDefinition(name = "Retain (MiB)", description = "The most disk the rule's clips may take; the oldest "
            + "clips are removed first.", min = "1", max = "1048576")
    int retain_maxMiB() default 1024;

    @AttributeDefinition(name = "Retain (days)", description = "Clips older than this many days are removed; 0: "
            + "no age limit.", min = "0", max = "36500")
    int retain_days() default 0;
}
