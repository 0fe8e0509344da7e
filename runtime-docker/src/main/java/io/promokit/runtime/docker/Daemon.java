package io.promokit.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import io.promokit.spi.ContainerPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * What the containers of one runtime share: the client, how to name the daemon in messages, the bounded
 * calls and the removals waiting for the daemon, the image puller, the file-sharing rules, where attempt
 * folders go, the threads that follow containers, the launcher binary for secrets, and the hardening
 * policy and network the host chose.
 *
 * @param heartbeat how often the daemon is pinged while a container runs (a frozen daemon is noticed)
 */
record Daemon(
    DockerClient client,
    String description,
    DaemonCalls calls,
    PendingRemovals removals,
    ImagePuller puller,
    SharedFiles sharedFiles,
    OwnershipHandBack handBack,
    Path scratch,
    ExecutorService threads,
    HelperBinary helper,
    ContainerPolicy policy,
    String network,
    Duration heartbeat) {}
