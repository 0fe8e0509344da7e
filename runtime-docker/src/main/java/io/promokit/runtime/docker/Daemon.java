package io.promokit.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;

/**
 * What the containers of one runtime share: the client, how to name the daemon in messages, the image
 * puller, the file-sharing rules, where attempt folders go, and the threads that follow containers.
 */
record Daemon(
    DockerClient client,
    String description,
    ImagePuller puller,
    SharedFiles sharedFiles,
    OwnershipHandBack handBack,
    Path scratch,
    ExecutorService threads) {}
