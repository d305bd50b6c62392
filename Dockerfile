# The Eventplane server image: build the shaded jar with Maven, run it on a JRE.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Every module (.dockerignore keeps build output and data out), so a new module needs no edit here.
COPY . .
# The class archive is made in the runtime stage below, by the JVM that will use it.
RUN mvn -B -q package -DskipTests -Deventplane.cds.skip

# Java 21: function instances run on the server's JVM when it is new enough (java11/17/21 runtimes).
FROM eclipse-temurin:21-jre
WORKDIR /opt/eventplane
COPY --from=build /src/server/target/eventplane.jar eventplane.jar
# AppCDS: a training run (start-up and first requests on a scratch dir) writes the classes it
# loaded to an archive that every start then maps instead of loading them from the jar (-39% of
# the start-up CPU on Java 17, docs/benchmarks.md). Only valid for this JVM and jar path, hence here.
# The run also leaves RocksDB's native library unpacked under ~/.cache/eventplane.
RUN java -XX:ArchiveClassesAtExit=/opt/eventplane/eventplane.jsa -Xlog:cds=error \
      -cp /opt/eventplane/eventplane.jar io.eventplane.server.ClassArchiveTraining /tmp/cds-training
# glibc here: tells RocksJava so, instead of it running `ldd` in a shell at every start to find out.
ENV ROCKSDB_MUSL_LIBC=false
VOLUME /data
# 4566: the AWS endpoint; 5701/5702: cluster membership and event bus. Outside a container the
# bus port defaults to any free port; here it is fixed so that it can be published and firewalled.
ENV EVENTPLANE_CLUSTER_BUS_PORT=5702
EXPOSE 4566 5701 5702
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/opt/eventplane/eventplane.jsa", "-jar", "/opt/eventplane/eventplane.jar", "--bind", "0.0.0.0", "--data-dir", "/data"]
