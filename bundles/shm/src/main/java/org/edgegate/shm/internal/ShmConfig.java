package org.edgegate.shm.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(pid = ShmPublisher.PID, name = "EdgeGate shared-memory frames",
        description = "Publishes camera frames to local processes through shared memory: one file "
                + "<dir>/<camera>.frames per camera, a ring of slots each guarded by a sequence lock, mapped "
                + "read-only by readers in any language (the Python reader is python/edgegate/frames.py). "
                + "Readers never slow the gateway and are not seen by it. Layout: docs/shm.md.")
@interface ShmConfig {
    @AttributeDefinition(name = "Id", description = "Name of this publisher in gw:status and gw:shm; empty: the "
            + "configuration's name.", required = false)
    String id() default "";

    @AttributeDefinition(name = "Cameras", description = "Camera ids to publish (comma-separated in a .cfg file); "
            + "empty: every camera.", required = false)
    String[] cameras() default {};

    @AttributeDefinition(name = "Directory", description = "Where the files are made: a tmpfs, so they are memory. "
            + "Made if missing (owner only, plus the group's read and search when mode gives the group read). "
            + "A relative path is under the gateway's home.")
    String dir() default "/dev/shm/edgegate";

    @AttributeDefinition(name = "Slots", description = "Frames kept per camera, 2 to 64. A reader copying the "
            + "newest frame has slots - 1 frame times before the writer comes round to its slot again.",
            min = "2", max = "64")
    int slots() default 4;

    @AttributeDefinition(name = "Format", description = "bgr: raw pixels, height x width x 3 bytes, one native "
            + "copy per frame; jpeg: the frame's JPEG as the camera gives it (passed through when the camera can, "
            + "otherwise encoded once and shared with the other consumers).",
            options = { @Option(label = "bgr (raw pixels)", value = "bgr"), @Option(label = "jpeg", value = "jpeg") })
    String format() default "bgr";

    @AttributeDefinition(name = "File mode", description = "Permissions of the files, octal: 0600 owner only, "
            + "0640 also the group (set the group).")
    String mode() default "0600";

    @AttributeDefinition(name = "Group", description = "Group owning the files and the directory (e.g. video), so "
            + "its members' processes may read them with mode 0640; empty: the gateway user's group.",
            required = false)
    String group() default "";

    @AttributeDefinition(name = "Checksum", description = "Write a CRC-32 (zlib's) of every payload into its slot, "
            + "so readers can verify it (tests, diagnosis); costs a pass over each frame.")
    boolean checksum() default false;
}
