#!/bin/sh
# The images' build stage, one place for every Dockerfile (run inside the build, from the context root):
#   stage.sh manifests                  package.json and lock files only, into /manifests (the dependency layer's key)
#   stage.sh deps <package dir>         its production dependencies from the lock file, and esbuild
#   stage.sh bundle <package dir> [native addon…]   dist/*.mjs bundles, proto/, health.mjs and the addons, into /out
set -eu
cmd=$1; shift
case "$cmd" in
  manifests)
    mkdir -p /manifests/docker
    find . -name node_modules -prune -o \( -name package.json -o -name package-lock.json \) -print0 | tar --null -cf - -T - | tar -xf - -C /manifests
    cp docker/stage.sh /manifests/docker/
    ;;
  deps)
    # Node's headers from the image itself where it has them (the official one does): node-gyp downloads nothing.
    if [ -d /usr/local/include/node ]; then export npm_config_nodedir=/usr/local; fi
    npm ci --omit=dev --workspace "$1" --no-audit --no-fund
    npm install -g --no-audit --no-fund "esbuild@$(node -p "require('./package-lock.json').packages['node_modules/esbuild'].version")"
    ;;
  bundle)
    pkg=$1; shift
    node docker/bundle.mjs "$pkg"
    mkdir -p /out
    cp -r "$pkg/dist" /out/dist
    # Sources that read files beside them (grpc-pool's .proto at ../proto) find them at the same place from dist/.
    if [ -d "$pkg/proto" ]; then cp -r "$pkg/proto" /out/proto; fi
    cp docker/health.mjs /out/
    if [ "$#" -gt 0 ]; then node docker/natives.mjs /out "$@"; fi
    ;;
  *) echo "stage.sh: unknown step $cmd" >&2; exit 2 ;;
esac
