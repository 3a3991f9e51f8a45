# shellcheck shell=sh
# Read-only: whether Pacemaker runs, whether the CIB file $1 exists and holds resources, and the values of the properties named after it.
c=$1;
shift;
if systemctl is-active -q pacemaker;
then echo "pacemaker: active";
else echo "pacemaker: inactive";
[ -e "$c" ] || { echo "cib: absent";
exit 0;
};
export CIB_file="$c";
fi;
if cibadmin -Q -o resources 2>/dev/null | grep -q "<primitive";
then echo "resources: yes";
exit 0;
fi;
echo "resources: no";
while [ $# -ge 2 ];
do printf "%s=%s\n" "$1" "$(crm_attribute --type crm_config --name "$1" --query --quiet 2>/dev/null)";
shift 2;
done
