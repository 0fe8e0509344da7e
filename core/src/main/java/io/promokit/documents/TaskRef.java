package io.promokit.documents;

import java.util.Objects;

/**
 * A step's reference to a promotion task: {@code task: {name, kind}}.
 *
 * @param name the task's name
 * @param kind {@link TaskKind#PROMOTION_TASK} unless given
 */
public record TaskRef(String name, TaskKind kind) {
  public TaskRef {
    Objects.requireNonNull(name, "name must not be null");
    kind = kind == null ? TaskKind.PROMOTION_TASK : kind;
  }

  /** The kind of a promotion task document. */
  public enum TaskKind {
    PROMOTION_TASK("PromotionTask"),
    CLUSTER_PROMOTION_TASK("ClusterPromotionTask");

    private final String kindName;

    TaskKind(String kindName) {
      this.kindName = kindName;
    }

    /** The {@code kind} as written in YAML. */
    public String kindName() {
      return kindName;
    }

    /** The kind written in YAML, or null when it is not a task kind. */
    public static TaskKind fromKindName(String kind) {
      for (TaskKind k : values()) {
        if (k.kindName.equals(kind)) {
          return k;
        }
      }
      return null;
    }
  }

  @Override
  public String toString() {
    return kind.kindName() + "/" + name;
  }
}
